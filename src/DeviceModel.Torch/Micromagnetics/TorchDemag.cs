using System.Numerics;
using System.Runtime.InteropServices;
using EdgeSkyrmion.DeviceModel.Physics;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// The demag field of <see cref="Demag"/> — the <see cref="NewellTensor"/> convolved with m on the zero-padded grid — with
/// the transforms done by libtorch, in double precision (docs/micromagnetics.md, "The FFT", says how much faster). The
/// 3-D transform is done an axis at a time, real-to-complex along x, so that the padding is never transformed: each
/// axis' transform zero-pads its input to the padded length on the way in, and only the rows and layers that hold cells
/// are transformed back (the way back measured 2.4 ms so against 3.3 ms as one multi-axis call). The kernel's
/// spectrum is real. m is copied into, the spectrum multiplied in, and h read from the tensors' own memory; each
/// evaluation has libtorch allocate the transforms' results (native memory, released before it returns, and kept by the
/// C library for the next: <see cref="NativeHeap"/>).
/// </summary>
public sealed class TorchDemag : IFieldTerm, IDisposable
{
    /// <summary>This implementation's name for <see cref="DemagProvider.Use"/>.</summary>
    public const string ProviderName = "torch";

    /// <summary>
    /// Peak bytes a padded cell, the transforms' transient tensors and the heap glibc keeps for them included: measured
    /// 411–462 B (max RSS over a bare process with libtorch loaded, 512 × 256 × 1 and 320 × 160 × 4 cells, 2026-12-04), rounded up.
    /// </summary>
    public const int BytesPerPaddedCell = 480;

    private readonly Mesh _mesh;
    private readonly byte[] _region;
    private readonly WorkerPool _pool;
    private readonly int _px, _py, _pz, _spectral;
    private readonly Tensor _m;
    private readonly double[] _kxx, _kyy, _kzz, _kxy, _kxz, _kyz;
    private readonly double _scaleT;
    private readonly Action<int, int> _multiply;
    private Tensor? _spectrum;

    public TorchDemag(Geometry geometry, MagnetMaterial material, WorkerPool pool)
    {
        _mesh = geometry.Mesh;
        _region = geometry.Region;
        _pool = pool;
        NativeHeap.KeepFreedBuffers();
        (_px, _py, _pz) = _mesh.PaddedSize;
        _spectral = (_px / 2 + 1) * _py * _pz;
        torch.set_num_threads(pool.Workers);
        _m = torch.zeros([3, _mesh.Nz, _mesh.Ny, _mesh.Nx], ScalarType.Float64);
        _scaleT = -PhysicalConstants.Mu0TmPerA * material.SaturationMagnetizationAPerM;
        _multiply = Multiply;
        double[][] kernels = KernelSpectra(NewellTensor.Padded(_mesh));
        (_kxx, _kyy, _kzz, _kxy, _kxz, _kyz) = (kernels[0], kernels[1], kernels[2], kernels[3], kernels[4], kernels[5]);
    }

    public string Name => "demag";

    public double EnergyFactor => 0.5;

    public void AddField(VectorField m, double timeS, VectorField field)
    {
        int count = m.Count;
        Span<double> mIn = MemoryMarshal.Cast<byte, double>(_m.bytes);
        m.X.AsSpan().CopyTo(mIn[..count]);
        m.Y.AsSpan().CopyTo(mIn.Slice(count, count));
        m.Z.AsSpan().CopyTo(mIn.Slice(2 * count, count));
        using DisposeScope scope = torch.NewDisposeScope();
        Tensor spectrum = Forward(_m).contiguous();
        _spectrum = spectrum;
        _pool.Run(_spectral, _multiply);
        _spectrum = null;
        int nx = _mesh.Nx, ny = _mesh.Ny, nz = _mesh.Nz;
        Tensor layers = _pz > 1 ? torch.fft.ifft(spectrum, dim: -3)[.., ..nz] : spectrum;
        Tensor h = torch.fft.irfft(torch.fft.ifft(layers, dim: -2)[.., .., ..ny], n: _px, dim: -1).contiguous();
        ReadOnlySpan<double> hOut = MemoryMarshal.Cast<byte, double>(h.bytes);
        int component = nz * ny * _px;
        for (int row = 0, i = 0; row < ny * nz; row++)
            for (int x = 0, p = row * _px; x < nx; x++, i++, p++)
            {
                if (_region[i] == Geometry.Empty) continue;
                field.X[i] += _scaleT * hOut[p];
                field.Y[i] += _scaleT * hOut[component + p];
                field.Z[i] += _scaleT * hOut[2 * component + p];
            }
    }

    public void Dispose() => _m.Dispose();

    /// <summary>The padded grid's half spectrum of <paramref name="real"/> (its last three axes z, y, x, each zero-padded by its transform).</summary>
    private Tensor Forward(Tensor real)
    {
        Tensor rows = torch.fft.fft_(torch.fft.rfft(real, n: _px, dim: -1), n: _py, dim: -2);
        return _pz > 1 ? torch.fft.fft_(rows, n: _pz, dim: -3) : rows;
    }

    /// <summary>H(k) = N(k)·M(k) in place, for the half-spectrum wave vectors in [from, to).</summary>
    private void Multiply(int from, int to)
    {
        Span<Complex> s = MemoryMarshal.Cast<byte, Complex>(_spectrum!.bytes);
        Span<Complex> sx = s[.._spectral], sy = s.Slice(_spectral, _spectral), sz = s.Slice(2 * _spectral, _spectral);
        for (int k = from; k < to; k++)
        {
            Complex mx = sx[k], my = sy[k], mz = sz[k];
            sx[k] = _kxx[k] * mx + _kxy[k] * my + _kxz[k] * mz;
            sy[k] = _kxy[k] * mx + _kyy[k] * my + _kyz[k] * mz;
            sz[k] = _kxz[k] * mx + _kyz[k] * my + _kzz[k] * mz;
        }
    }

    /// <summary>The half spectra (real parts) of the six padded kernel components, in the layout of m's half spectrum (one at a time: six at once held 1.2 GB of transforms on a 1 nm stack).</summary>
    private double[][] KernelSpectra(double[][] kernels)
    {
        double[][] spectra = new double[6][];
        for (int c = 0; c < 6; c++)
        {
            using DisposeScope scope = torch.NewDisposeScope();
            Tensor real = torch.tensor(kernels[c], [_pz, _py, _px], ScalarType.Float64);
            Tensor spectrum = torch.real(Forward(real)).contiguous();
            spectra[c] = MemoryMarshal.Cast<byte, double>(spectrum.bytes).ToArray();
        }
        return spectra;
    }
}
