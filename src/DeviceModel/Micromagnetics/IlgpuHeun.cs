using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// <see cref="Heun"/>'s step with m kept on the device: the two torque evaluations, the predictor, the corrector and the
/// renormalisation are kernels, and only the step's largest | |m| − 1 | comes back (one number, for the same divergence
/// check). For a magnet with nothing on the host (<see cref="Magnet.CanStepOnDevice"/>: 0 K, demag on cuFFT or absent),
/// so that a step does not cross the bus as <see cref="Heun"/> on the ILGPU path does (m up and the torque back, twice).
/// <see cref="CopyToHost"/> brings m back into <see cref="Magnet.M"/>.
/// </summary>
public sealed class IlgpuHeun : IDisposable
{
    private readonly Magnet _magnet;
    private readonly IlgpuTorqueBackend _backend;
    private readonly int _count;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _m, _k1, _k2, _predicted, _drift, _largestDrift;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, double> _predict;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<int>, ArrayView<double>, double, int> _correct;
    private readonly Reduction<double, Stride1D.Dense> _max;
    private readonly double[] _driftOnHost = new double[1];

    public IlgpuHeun(Magnet magnet, double timeStepS)
    {
        if (!(timeStepS > 0 && timeStepS < 1e-11)) throw new ArgumentException($"Heun time step must be in (0, 10 ps) (got {timeStepS} s).");
        if (!magnet.CanStepOnDevice || magnet.Ilgpu is not { } backend)
            throw new InvalidOperationException("stepping on the device needs the ILGPU path with no field on the host (0 K, demag on the device or none).");
        (_magnet, _backend, TimeStepS, _count) = (magnet, backend, timeStepS, magnet.Mesh.Count);
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

    public double TimeStepS { get; }

    public double TimeS { get; set; }

    public long Steps { get; private set; }

    /// <summary>Largest | |m| − 1 | one step may leave before renormalising, as <see cref="Heun.MaxNormDrift"/>.</summary>
    public double MaxNormDrift { get; init; } = 0.01;

    public void Step()
    {
        double dt = TimeStepS;
        IlgpuTorqueParameters parameters = _magnet.KernelParameters(precession: true);
        _backend.DeviceTorque(_m.View, _k1.View, parameters);
        _predict(3 * _count, _m.View, _k1.View, _predicted.View, dt);
        _backend.DeviceTorque(_predicted.View, _k2.View, parameters);
        _correct(_count, _m.View, _k1.View, _k2.View, _backend.Region, _drift.View, dt, _count);
        _largestDrift.MemSetToZero();
        _max(_backend.Accelerator.DefaultStream, _drift.View, _largestDrift.View);
        _largestDrift.View.CopyToCPU(_driftOnHost);
        double drift = _driftOnHost[0];
        if (!(drift <= MaxNormDrift))
            throw new DivergenceException(double.IsPositiveInfinity(drift)
                ? $"m became NaN or zero in one Heun step at t = {TimeS:E3} s: the parameters or the state are unphysical."
                : $"|m| drifted by {drift:E2} in one Heun step of {dt:E2} s at t = {TimeS:E3} s: use a shorter step.");
        TimeS += dt;
        Steps++;
    }

    /// <summary>Copies the device's m into <see cref="Magnet.M"/>.</summary>
    public void CopyToHost()
    {
        _backend.Accelerator.Synchronize();
        DeviceBlocks.Download(_m.View, _magnet.M);
    }

    public void Dispose()
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
