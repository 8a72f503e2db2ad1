using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// <see cref="HeunStepper"/> with m kept on the device: the two torque evaluations (the thermal field drawn there), the
/// predictor, the corrector and the renormalisation are kernels, and only the step's largest | |m| − 1 | comes back (one
/// number, for the same divergence check). For a magnet with nothing on the host (<see cref="Magnet.CanStepOnDevice"/>:
/// demag on cuFFT or absent), so that a step does not cross the bus as <see cref="Heun"/> on the ILGPU path does (m up
/// and the torque back, twice). <see cref="CopyToHost"/> brings m back into <see cref="Magnet.M"/>.
/// </summary>
public sealed class IlgpuHeun : HeunStepper
{
    private readonly IlgpuTorqueBackend _backend;
    private readonly int _count;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _m, _k1, _k2, _predicted, _drift, _largestDrift;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, double> _predict;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<int>, ArrayView<double>, double, int> _correct;
    private readonly Reduction<double, Stride1D.Dense> _max;
    private readonly double[] _driftOnHost = new double[1];

    public IlgpuHeun(Magnet magnet, double timeStepS) : base(magnet, timeStepS)
    {
        if (!magnet.CanStepOnDevice || magnet.Ilgpu is not { } backend)
            throw new InvalidOperationException("stepping on the device needs the ILGPU path with no field on the host (demag on the device or none).");
        (_backend, _count) = (backend, magnet.Mesh.Count);
        Accelerator accelerator = backend.Accelerator;
        (_m, _k1, _k2, _predicted) = (accelerator.Allocate1D<double>(3L * _count), accelerator.Allocate1D<double>(3L * _count),
            accelerator.Allocate1D<double>(3L * _count), accelerator.Allocate1D<double>(3L * _count));
        (_drift, _largestDrift) = (accelerator.Allocate1D<double>(_count), accelerator.Allocate1D<double>(1));
        _predict = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, double>(Predict);
        _correct = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<int>,
            ArrayView<double>, double, int>(Correct);
        _max = accelerator.CreateReduction<double, Stride1D.Dense, MaxDouble>();
        DeviceBlocks.Upload(_m.View, magnet.M);
    }

    public override string Name => "heun-on-device";

    protected override double Advance(double dtS)
    {
        IlgpuTorqueParameters parameters = Magnet.KernelParameters(precession: true);
        _backend.DeviceTorque(_m.View, _k1.View, parameters, Magnet.Thermal);
        _predict(3 * _count, _m.View, _k1.View, _predicted.View, dtS);
        _backend.DeviceTorque(_predicted.View, _k2.View, parameters, Magnet.Thermal);
        _correct(_count, _m.View, _k1.View, _k2.View, _backend.Region, _drift.View, dtS, _count);
        _largestDrift.MemSetToZero();
        _max(_backend.Accelerator.DefaultStream, _drift.View, _largestDrift.View);
        _largestDrift.View.CopyToCPU(_driftOnHost);
        // A NaN or zero m arrives as +∞ (the maximum keeps it).
        return double.IsPositiveInfinity(_driftOnHost[0]) ? double.NaN : _driftOnHost[0];
    }

    /// <summary>Copies the device's m into <see cref="Magnet.M"/>.</summary>
    public override void CopyToHost()
    {
        _backend.Accelerator.Synchronize();
        DeviceBlocks.Download(_m.View, Magnet.M);
    }

    protected override void Dispose(bool disposing)
    {
        foreach (MemoryBuffer buffer in (MemoryBuffer[])[_m, _k1, _k2, _predicted, _drift, _largestDrift]) buffer.Dispose();
    }

    private static void Predict(Index1D i, ArrayView<double> m, ArrayView<double> k1, ArrayView<double> predicted, double dt) =>
        predicted[i] = m[i] + dt * k1[i];

    /// <summary>
    /// m += Δt/2 (k1 + k2), then renormalised in magnetic cells as <see cref="Magnet.Normalize"/> does; each cell's
    /// | |m| − 1 | into drift (+∞ for a NaN or zero m, so that the maximum reports it).
    /// </summary>
    private static void Correct(Index1D i, ArrayView<double> m, ArrayView<double> k1, ArrayView<double> k2, ArrayView<int> region,
        ArrayView<double> drift, double dt, int count)
    {
        int y = count + i, z = 2 * count + i;
        double mx = m[i] + 0.5 * dt * (k1[i] + k2[i]);
        double my = m[y] + 0.5 * dt * (k1[y] + k2[y]);
        double mz = m[z] + 0.5 * dt * (k1[z] + k2[z]);
        double norm = Math.Sqrt(mx * mx + my * my + mz * mz);
        bool magnetic = region[i] != Geometry.Empty;
        if (magnetic && !(norm > 0))
        {
            drift[i] = double.PositiveInfinity;
            return;
        }
        double scale = magnetic ? norm : 1;
        m[i] = mx / scale;
        m[y] = my / scale;
        m[z] = mz / scale;
        drift[i] = magnetic ? Math.Abs(norm - 1) : 0;
    }
}
