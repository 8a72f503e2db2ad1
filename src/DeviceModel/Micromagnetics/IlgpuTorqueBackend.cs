using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Runs <see cref="IlgpuTorqueKernel"/> on an ILGPU accelerator: the preferred one (CUDA where present) or, with
/// <c>cpuOnly</c>, ILGPU's CPU accelerator (a correctness backend, far slower than the C# path). Per torque evaluation m and
/// the host's field (demag by the C# FFT, thermal) go up and the torque comes back; buffers are allocated once.
/// </summary>
public sealed class IlgpuTorqueBackend : IDisposable
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<int>, ArrayView<double>, ArrayView<int>,
        IlgpuTorqueParameters> _kernel;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _m, _field, _torque, _anisotropy;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _region, _driven;
    private readonly int _count;

    public IlgpuTorqueBackend(Geometry geometry, MagnetMaterial material, SpinOrbitTorque? sot, bool cpuOnly)
    {
        _context = cpuOnly ? Context.Create(b => b.CPU()) : Context.Create(b => b.Default());
        _accelerator = cpuOnly ? _context.CreateCPUAccelerator(0) : _context.GetPreferredDevice(preferCPU: false).CreateAccelerator(_context);
        _kernel = _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<int>,
            ArrayView<double>, ArrayView<int>, IlgpuTorqueParameters>(IlgpuTorqueKernel.Evaluate);
        Mesh mesh = geometry.Mesh;
        _count = mesh.Count;
        (_m, _field, _torque) = (_accelerator.Allocate1D<double>(3L * _count), _accelerator.Allocate1D<double>(3L * _count), _accelerator.Allocate1D<double>(3L * _count));
        _region = _accelerator.Allocate1D([.. geometry.Region.Select(r => (int)r)]);
        _anisotropy = _accelerator.Allocate1D([.. material.AnisotropyJPerM3ByRegion.Select(k => 2 * k / material.SaturationMagnetizationAPerM)]);
        _driven = _accelerator.Allocate1D([.. Enumerable.Range(0, mesh.Nz).Select(z => sot?.Drives(z) ?? true ? 1 : 0)]);
    }

    public string Name => $"ilgpu-{_accelerator.AcceleratorType.ToString().ToLowerInvariant()}";

    /// <summary>dm/dt into <paramref name="dmdt"/> for m and the host's part of the field.</summary>
    public void Torque(VectorField m, VectorField hostField, VectorField dmdt, in IlgpuTorqueParameters parameters)
    {
        Upload(_m, m);
        Upload(_field, hostField);
        _kernel(_count, _m.View, _field.View, _torque.View, _region.View, _anisotropy.View, _driven.View, parameters);
        _accelerator.Synchronize();
        _torque.View.SubView(0, _count).CopyToCPU(ref dmdt.X[0], _count);
        _torque.View.SubView(_count, _count).CopyToCPU(ref dmdt.Y[0], _count);
        _torque.View.SubView(2L * _count, _count).CopyToCPU(ref dmdt.Z[0], _count);
    }

    private void Upload(MemoryBuffer1D<double, Stride1D.Dense> buffer, VectorField v)
    {
        buffer.View.SubView(0, _count).CopyFromCPU(ref v.X[0], _count);
        buffer.View.SubView(_count, _count).CopyFromCPU(ref v.Y[0], _count);
        buffer.View.SubView(2L * _count, _count).CopyFromCPU(ref v.Z[0], _count);
    }

    public void Dispose()
    {
        foreach (MemoryBuffer buffer in (MemoryBuffer[])[_m, _field, _torque, _anisotropy, _region, _driven]) buffer.Dispose();
        _accelerator.Dispose();
        _context.Dispose();
    }
}
