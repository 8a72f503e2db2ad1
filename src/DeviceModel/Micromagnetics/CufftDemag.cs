using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>The padded grid of <see cref="CufftDemag"/>'s kernels: the mesh, its zero-padded size, and the cell counts of each.</summary>
public struct DemagGrid
{
    public int Nx, Ny, Nz, Px, Py, Pz, Cells, Padded, Spectral;
}

/// <summary>
/// <see cref="Demag"/>'s convolution on a CUDA device, so that m need not come back to the host for it: m is zero-padded
/// on the device, transformed by cuFFT (NVIDIA's FFT library, reached through ILGPU.Algorithms' bindings; real-to-complex,
/// three components in one batched plan), multiplied by the Newell tensor's spectrum (computed once by the same plan, real,
/// six components) and transformed back, and −μ0 Ms N ∗ m is added to the field of the magnetic cells. Everything is
/// queued on the accelerator's stream; nothing is allocated per evaluation.
/// </summary>
public sealed class CufftDemag : IDisposable
{
    private readonly Accelerator _accelerator;
    private readonly DemagGrid _grid;
    private readonly double _scaleT;
    private readonly CuFFTPlan _forward, _inverse;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _real, _kernel;
    private readonly MemoryBuffer1D<Complex, Stride1D.Dense> _spectrum;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, DemagGrid> _pad;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, DemagGrid> _multiply;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<int>, DemagGrid, double> _add;

    /// <summary>Plans the transforms and computes the kernel's spectrum; throws if cuFFT cannot be loaded or planned.</summary>
    public CufftDemag(CudaAccelerator accelerator, Mesh mesh, MagnetMaterial material)
    {
        _accelerator = accelerator;
        (int px, int py, int pz) = mesh.PaddedSize;
        _grid = new DemagGrid
        {
            Nx = mesh.Nx, Ny = mesh.Ny, Nz = mesh.Nz, Px = px, Py = py, Pz = pz, Cells = mesh.Count, Padded = px * py * pz,
            Spectral = (px / 2 + 1) * py * pz,
        };
        // cuFFT's inverse is unnormalized, as Math.NET's is with NoScaling: the 1/N of the round trip goes into the scale.
        _scaleT = -PhysicalConstants.Mu0TmPerA * material.SaturationMagnetizationAPerM / _grid.Padded;
        var cufft = new CuFFT();
        // Row-major z, y, x (x fastest), as the host's arrays; the half spectrum keeps px/2 + 1 of x. Components follow each other.
        int[] n = pz > 1 ? [pz, py, px] : [py, px], half = [.. n[..^1], px / 2 + 1];
        CuFFTException.ThrowIfFailed(cufft.PlanMany(out CuFFTPlan? forward, n.Length, n, n, 1, _grid.Padded, half, 1, _grid.Spectral, CuFFTType.CUFFT_D2Z, 3));
        _forward = forward ?? throw new InvalidOperationException("cuFFT returned no forward plan.");
        CuFFTException.ThrowIfFailed(cufft.PlanMany(out CuFFTPlan? inverse, n.Length, n, half, 1, _grid.Spectral, n, 1, _grid.Padded, CuFFTType.CUFFT_Z2D, 3));
        _inverse = inverse ?? throw new InvalidOperationException("cuFFT returned no inverse plan.");
        // The plans run on ILGPU's stream, so that they are ordered with the kernels around them.
        var stream = (CudaStream)accelerator.DefaultStream;
        _forward.SetStream(stream);
        _inverse.SetStream(stream);
        _real = accelerator.Allocate1D<double>(3L * _grid.Padded);
        _spectrum = accelerator.Allocate1D<Complex>(3L * _grid.Spectral);
        _kernel = accelerator.Allocate1D<double>(6L * _grid.Spectral);
        _pad = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, DemagGrid>(Pad);
        _multiply = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, DemagGrid>(Multiply);
        _add = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<int>, DemagGrid, double>(Add);
        KernelSpectra(NewellTensor.Padded(mesh));
    }

    /// <summary>Queues field += −μ0 Ms N ∗ m (T) for the magnetic cells; m and field are x, y, z blocks of the mesh's cells.</summary>
    public void AddField(ArrayView<double> m, ArrayView<double> field, ArrayView<int> region)
    {
        _pad(_grid.Padded, m, _real.View, _grid);
        CuFFTException.ThrowIfFailed(_forward.ExecD2Z(_real.View, _spectrum.View));
        _multiply(_grid.Spectral, ((ArrayView<Complex>)_spectrum.View).Cast<double>(), _kernel.View, _grid);
        CuFFTException.ThrowIfFailed(_inverse.ExecZ2D(_spectrum.View, _real.View));
        _add(_grid.Cells, _real.View, field, region, _grid, _scaleT);
    }

    public void Dispose()
    {
        _forward.Dispose();
        _inverse.Dispose();
        _real.Dispose();
        _spectrum.Dispose();
        _kernel.Dispose();
    }

    /// <summary>The six components' spectra (real: the tensor is even or odd–odd in every pair of axes), three at a time.</summary>
    private void KernelSpectra(double[][] padded)
    {
        for (int batch = 0; batch < 2; batch++)
        {
            for (int c = 0; c < 3; c++) _real.View.SubView((long)c * _grid.Padded, _grid.Padded).CopyFromCPU(padded[3 * batch + c]);
            CuFFTException.ThrowIfFailed(_forward.ExecD2Z(_real.View, _spectrum.View));
            _accelerator.Synchronize();
            ArrayView<double> spectrum = ((ArrayView<Complex>)_spectrum.View).Cast<double>();
            for (int c = 0; c < 3; c++)
            {
                ArrayView<double> target = _kernel.View.SubView((long)(3 * batch + c) * _grid.Spectral, _grid.Spectral);
                double[] component = spectrum.SubView(2L * c * _grid.Spectral, 2L * _grid.Spectral).GetAsArray();
                target.CopyFromCPU([.. Enumerable.Range(0, _grid.Spectral).Select(k => component[2 * k])]);
            }
        }
        _accelerator.Synchronize();
    }

    private static void Pad(Index1D p, ArrayView<double> m, ArrayView<double> real, DemagGrid g)
    {
        int x = p % g.Px, y = p / g.Px % g.Py, z = p / (g.Px * g.Py);
        if (x < g.Nx && y < g.Ny && z < g.Nz)
        {
            int i = (z * g.Ny + y) * g.Nx + x;
            for (int c = 0; c < 3; c++) real[c * g.Padded + p] = m[c * g.Cells + i];
        }
        else
        {
            for (int c = 0; c < 3; c++) real[c * g.Padded + p] = 0;
        }
    }

    /// <summary>H(k) = N(k)·M(k) in place; s holds the three half spectra as interleaved (re, im) pairs.</summary>
    private static void Multiply(Index1D k, ArrayView<double> s, ArrayView<double> kernel, DemagGrid g)
    {
        int n = g.Spectral, x = 2 * k, y = 2 * (n + k), z = 2 * (2 * n + k);
        double kxx = kernel[k], kyy = kernel[n + k], kzz = kernel[2 * n + k], kxy = kernel[3 * n + k], kxz = kernel[4 * n + k], kyz = kernel[5 * n + k];
        double mxr = s[x], mxi = s[x + 1], myr = s[y], myi = s[y + 1], mzr = s[z], mzi = s[z + 1];
        s[x] = kxx * mxr + kxy * myr + kxz * mzr;
        s[x + 1] = kxx * mxi + kxy * myi + kxz * mzi;
        s[y] = kxy * mxr + kyy * myr + kyz * mzr;
        s[y + 1] = kxy * mxi + kyy * myi + kyz * mzi;
        s[z] = kxz * mxr + kyz * myr + kzz * mzr;
        s[z + 1] = kxz * mxi + kyz * myi + kzz * mzi;
    }

    private static void Add(Index1D i, ArrayView<double> real, ArrayView<double> field, ArrayView<int> region, DemagGrid g, double scaleT)
    {
        if (region[i] == Geometry.Empty) return;
        int x = i % g.Nx, y = i / g.Nx % g.Ny, z = i / (g.Nx * g.Ny);
        int p = (z * g.Py + y) * g.Px + x;
        for (int c = 0; c < 3; c++) field[c * g.Cells + i] += scaleT * real[c * g.Padded + p];
    }
}
