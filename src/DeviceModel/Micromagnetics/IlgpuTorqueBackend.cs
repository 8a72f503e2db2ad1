using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Runs <see cref="IlgpuTorqueKernel"/> on an ILGPU accelerator: the preferred one (CUDA where present) or, with
/// <c>cpuOnly</c>, ILGPU's CPU accelerator (a correctness backend, far slower than the C# path). Per torque evaluation m and
/// the host's field (demag, unless it runs on the device) go up and the torque comes back; the thermal field is drawn on
/// the device (<see cref="ThermalField.AddOnDevice"/>, the host's deviates); buffers are allocated once. On CUDA the demag
/// convolution runs on the device (<see cref="CufftDemag"/>) when cuFFT loads; where it
/// does not, demag stays on the host's FFT and <see cref="DeviceDemagUnavailable"/> says why.
/// </summary>
public sealed class IlgpuTorqueBackend : IDisposable
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<int>, ArrayView<double>, ArrayView<int>,
        IlgpuTorqueParameters> _kernel;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<int>, ulong, long, double, int> _thermal;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _m, _field, _torque, _anisotropy;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _region, _driven;
    private readonly int _count;
    private readonly CufftDemag? _demag;

    public IlgpuTorqueBackend(Geometry geometry, MagnetMaterial material, SpinOrbitTorque? sot, bool cpuOnly, bool demag)
    {
        (_context, _accelerator) = IlgpuAccelerators.Create(cpuOnly);
        _kernel = _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<int>,
            ArrayView<double>, ArrayView<int>, IlgpuTorqueParameters>(IlgpuTorqueKernel.Evaluate);
        _thermal = _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<int>, ulong, long, double, int>(ThermalField.AddOnDevice);
        Mesh mesh = geometry.Mesh;
        _count = mesh.Count;
        (_m, _field, _torque) = (_accelerator.Allocate1D<double>(3L * _count), _accelerator.Allocate1D<double>(3L * _count), _accelerator.Allocate1D<double>(3L * _count));
        _region = _accelerator.Allocate1D([.. geometry.Region.Select(r => (int)r)]);
        _anisotropy = _accelerator.Allocate1D([.. material.AnisotropyJPerM3ByRegion.Select(k => 2 * k / material.SaturationMagnetizationAPerM)]);
        _driven = _accelerator.Allocate1D<int>(mesh.Nz);
        SetDrivenLayers(sot);
        if (demag && _accelerator is CudaAccelerator cuda)
        {
            try
            {
                _demag = new CufftDemag(cuda, mesh, material);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or NotSupportedException or CuFFTException or TypeInitializationException)
            {
                DeviceDemagUnavailable = $"cuFFT could not be used ({e.GetType().Name}: {e.Message}); demag runs on the host's FFT";
            }
        }
    }

    /// <summary>Uploads which layers <paramref name="sot"/> drives (every layer without one: the kernel then adds no torque).</summary>
    public void SetDrivenLayers(SpinOrbitTorque? sot) => _driven.CopyFromCPU([.. Enumerable.Range(0, (int)_driven.Length).Select(z => sot?.Drives(z) ?? true ? 1 : 0)]);

    /// <summary>Whether this backend adds the demag field itself, on the device.</summary>
    public bool DemagOnDevice => _demag is not null;

    /// <summary>Why demag stays on the host on a CUDA device (null where it runs on the device, or the accelerator is not CUDA).</summary>
    public string? DeviceDemagUnavailable { get; }

    public string Name => $"ilgpu-{_accelerator.AcceleratorType.ToString().ToLowerInvariant()}";

    /// <summary>
    /// dm/dt into <paramref name="dmdt"/> for m and the host's part of the field (null where the host has none: the device
    /// zeroes the field instead of receiving one), with <paramref name="thermal"/>'s field of its current step added on the device.
    /// </summary>
    public void Torque(VectorField m, VectorField? hostField, VectorField dmdt, in IlgpuTorqueParameters parameters, ThermalField? thermal)
    {
        DeviceBlocks.Upload(_m.View, m);
        if (hostField is null) _field.MemSetToZero();
        else DeviceBlocks.Upload(_field.View, hostField);
        AddDeviceFields(_m.View, thermal);
        _kernel(_count, _m.View, _field.View, _torque.View, _region.View, _anisotropy.View, _driven.View, parameters);
        _accelerator.Synchronize();
        DeviceBlocks.Download(_torque.View, dmdt);
    }

    public Accelerator Accelerator => _accelerator;

    /// <summary>Each cell's region on the device (0: empty).</summary>
    public ArrayView<int> Region => _region.View;

    /// <summary>
    /// Queues dm/dt of a device-resident m (x, y, z blocks) into <paramref name="torque"/>, with no host part of the field
    /// (<paramref name="thermal"/>'s at its current step is drawn on the device): for integrators that keep m on the device
    /// (<see cref="Magnet.CanStepOnDevice"/>).
    /// </summary>
    public void DeviceTorque(ArrayView<double> m, ArrayView<double> torque, in IlgpuTorqueParameters parameters, ThermalField? thermal)
    {
        _field.MemSetToZero();
        AddDeviceFields(m, thermal);
        _kernel(_count, m, _field.View, torque, _region.View, _anisotropy.View, _driven.View, parameters);
    }

    /// <summary>Adds the field terms the device computes besides the kernel's local ones: demag (cuFFT) and the thermal field.</summary>
    private void AddDeviceFields(ArrayView<double> m, ThermalField? thermal)
    {
        _demag?.AddField(m, _field.View, _region.View);
        if (thermal is not null) _thermal(_count, _field.View, _region.View, thermal.Seed, thermal.Step, thermal.SdT, _count);
    }

    /// <summary>The device's demag field of m alone, waited for (for timing it; the field stays on the device).</summary>
    public void DeviceDemag(VectorField m)
    {
        CufftDemag demag = _demag ?? throw new InvalidOperationException("demag does not run on this device.");
        DeviceBlocks.Upload(_m.View, m);
        _field.MemSetToZero();
        demag.AddField(_m.View, _field.View, _region.View);
        _accelerator.Synchronize();
    }

    public void Dispose()
    {
        _demag?.Dispose();
        foreach (MemoryBuffer buffer in (MemoryBuffer[])[_m, _field, _torque, _anisotropy, _region, _driven]) buffer.Dispose();
        _accelerator.Dispose();
        _context.Dispose();
    }
}
