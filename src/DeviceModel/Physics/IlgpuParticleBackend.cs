using ILGPU;
using ILGPU.Runtime;

namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// Runs <see cref="IlgpuKernel"/> on an ILGPU accelerator: the preferred one (a GPU where present) or, with
/// <c>cpuOnly</c>, ILGPU's CPU accelerator (slow, ≈100× the C# path; used to check agreement). Buffers are kept
/// between calls and state is copied in and out around each <see cref="Advance"/>.
/// </summary>
public sealed class IlgpuParticleBackend : IParticleBackend
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>,
        ArrayView<double>, ArrayView<double>, ParticleParameters, double, long, int> _kernel;
    private MemoryBuffer1D<double, Stride1D.Dense>[] _buffers = [];

    public IlgpuParticleBackend(bool cpuOnly)
    {
        (_context, _accelerator) = IlgpuAccelerators.Create(cpuOnly);
        _kernel = _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>,
            ArrayView<double>, ArrayView<double>, ArrayView<double>, ParticleParameters, double, long, int>(IlgpuKernel.Advance);
    }

    public string Name => $"ilgpu-{_accelerator.AcceleratorType.ToString().ToLowerInvariant()}";

    public void Advance(ParticleSystem system, in ParticleParameters p, double currentDensityAPerM2, int steps)
    {
        int length = system.X.Length;
        if (_buffers.Length == 0 || _buffers[0].Length != length)
        {
            foreach (var buffer in _buffers) buffer.Dispose();
            _buffers = Enumerable.Range(0, 7).Select(_ => _accelerator.Allocate1D<double>(length)).ToArray();
        }
        _buffers[0].CopyFromCPU(system.X);
        _buffers[1].CopyFromCPU(system.Y);
        _buffers[2].CopyFromCPU(system.BreathingM);
        _kernel(system.Devices, _buffers[0].View, _buffers[1].View, _buffers[2].View, _buffers[3].View, _buffers[4].View,
            _buffers[5].View, _buffers[6].View, p, currentDensityAPerM2, system.Step, steps);
        _accelerator.Synchronize();
        _buffers[0].CopyToCPU(system.X);
        _buffers[1].CopyToCPU(system.Y);
        _buffers[2].CopyToCPU(system.BreathingM);
        system.Step += steps;
    }

    public void Dispose()
    {
        foreach (var buffer in _buffers) buffer.Dispose();
        _accelerator.Dispose();
        _context.Dispose();
    }
}
