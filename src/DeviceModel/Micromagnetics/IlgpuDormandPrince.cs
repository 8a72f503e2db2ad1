using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// <see cref="DormandPrinceStepper"/> with m kept on the device: the seven torque evaluations, the stage combinations,
/// the error and the renormalisation are kernels, and a step brings back two numbers (the largest error and the largest
/// | |m| − 1 |) where the host's stages on the ILGPU path move m up and the torque back at every stage. For a magnet with
/// nothing on the host (<see cref="Magnet.CanStepOnDevice"/>: demag on cuFFT or absent); the kernels sum in the
/// host's order, so both take the same steps to rounding. <see cref="CopyToHost"/> brings m back into <see cref="Magnet.M"/>.
/// </summary>
public sealed class IlgpuDormandPrince : DormandPrinceStepper
{
    private readonly IlgpuTorqueBackend _backend;
    private readonly int _count, _stride;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _m, _k, _stage, _errorSquared, _drift, _largest;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, TableauRow, double, int> _combine;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<int>, ArrayView<double>, ArrayView<double>, TableauRow, int> _measure;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<int>, int> _accept;
    private readonly Reduction<double, Stride1D.Dense> _max;
    private static readonly TableauRow[] s_rows = [.. A.Select(TableauRow.Of)];
    private static readonly TableauRow s_error = TableauRow.Of(E);
    private readonly double[] _largestOnHost = new double[2];

    public IlgpuDormandPrince(Magnet magnet, bool precession = true) : base(magnet, precession)
    {
        if (!magnet.CanStepOnDevice || magnet.Ilgpu is not { } backend)
            throw new InvalidOperationException("stepping on the device needs the ILGPU path with no field on the host (demag on the device or none).");
        (_backend, _count) = (backend, magnet.Mesh.Count);
        _stride = 3 * _count;
        Accelerator accelerator = backend.Accelerator;
        (_m, _k, _stage) = (accelerator.Allocate1D<double>(_stride), accelerator.Allocate1D<double>(7L * _stride), accelerator.Allocate1D<double>(_stride));
        (_errorSquared, _drift, _largest) = (accelerator.Allocate1D<double>(_count), accelerator.Allocate1D<double>(_count), accelerator.Allocate1D<double>(2));
        _combine = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, TableauRow, double, int>(Combine);
        _measure = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<int>, ArrayView<double>, ArrayView<double>, TableauRow, int>(Measure);
        _accept = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<int>, int>(TakeStage);
        _max = accelerator.CreateReduction<double, Stride1D.Dense, MaxDouble>();
        DeviceBlocks.Upload(_m.View, magnet.M);
    }

    public override string Name => "rk45-on-device";

    private ArrayView<double> K(int stage) => _k.View.SubView((long)stage * _stride, _stride);

    protected override double Stages(double dt)
    {
        IlgpuTorqueParameters parameters = Magnet.KernelParameters(Precession);
        if (!FirstStageValid) _backend.DeviceTorque(_m.View, K(0), parameters, Magnet.Thermal);
        for (int s = 1; s < 7; s++)
        {
            _combine(_stride, _m.View, _k.View, _stage.View, s_rows[s], dt, _stride);
            _backend.DeviceTorque(_stage.View, K(s), parameters, Magnet.Thermal);
        }
        _measure(_count, _k.View, _stage.View, _backend.Region, _errorSquared.View, _drift.View, s_error, _count);
        _largest.MemSetToZero();
        _max(_backend.Accelerator.DefaultStream, _errorSquared.View, _largest.View.SubView(0, 1));
        _max(_backend.Accelerator.DefaultStream, _drift.View, _largest.View.SubView(1, 1));
        _largest.View.CopyToCPU(_largestOnHost);
        // A NaN cell's error arrives as +∞ (the maximum keeps it); a finite torque has a finite error.
        return double.IsPositiveInfinity(_largestOnHost[0]) ? double.NaN : Math.Sqrt(_largestOnHost[0]);
    }

    protected override double Accept()
    {
        _accept(_count, _stage.View, _m.View, _backend.Region, _count);
        K(6).CopyTo(K(0));
        return double.IsPositiveInfinity(_largestOnHost[1]) ? double.NaN : _largestOnHost[1];
    }

    public override void CopyToHost()
    {
        _backend.Accelerator.Synchronize();
        DeviceBlocks.Download(_m.View, Magnet.M);
    }

    protected override void Dispose(bool disposing)
    {
        foreach (MemoryBuffer buffer in (MemoryBuffer[])[_m, _k, _stage, _errorSquared, _drift, _largest]) buffer.Dispose();
    }

    /// <summary>One row of the tableau (A's, or E), zero past its end: a kernel argument (public: ILGPU's kernels see public types only).</summary>
    public readonly struct TableauRow(double w0, double w1, double w2, double w3, double w4, double w5, double w6)
    {
        public readonly double W0 = w0, W1 = w1, W2 = w2, W3 = w3, W4 = w4, W5 = w5, W6 = w6;

        public static TableauRow Of(double[] row)
        {
            double At(int j) => j < row.Length ? row[j] : 0;
            return new TableauRow(At(0), At(1), At(2), At(3), At(4), At(5), At(6));
        }
    }

    /// <summary>Σ_j w_j k_j at <paramref name="at"/> of each stage, j ascending and zero weights skipped, as the host sums.</summary>
    private static double Sum(ArrayView<double> k, TableauRow w, int stride, int at)
    {
        double sum = 0;
        if (w.W0 != 0) sum += w.W0 * k[at];
        if (w.W1 != 0) sum += w.W1 * k[stride + at];
        if (w.W2 != 0) sum += w.W2 * k[2 * stride + at];
        if (w.W3 != 0) sum += w.W3 * k[3 * stride + at];
        if (w.W4 != 0) sum += w.W4 * k[4 * stride + at];
        if (w.W5 != 0) sum += w.W5 * k[5 * stride + at];
        if (w.W6 != 0) sum += w.W6 * k[6 * stride + at];
        return sum;
    }

    /// <summary>stage = m + Δt Σ_j w_j k_j, one component of one cell a thread.</summary>
    private static void Combine(Index1D i, ArrayView<double> m, ArrayView<double> k, ArrayView<double> stage, TableauRow w, double dt, int stride) =>
        stage[i] = m[i] + dt * Sum(k, w, stride, i);

    /// <summary>
    /// Per cell |Σ_j E_j k_j|² (+∞ where NaN, which the maximum keeps) and, for the fifth-order solution in
    /// <paramref name="stage"/>, | |m| − 1 | in magnetic cells (+∞ for a zero or NaN m).
    /// </summary>
    private static void Measure(Index1D i, ArrayView<double> k, ArrayView<double> stage, ArrayView<int> region, ArrayView<double> errorSquared,
        ArrayView<double> drift, TableauRow e, int count)
    {
        int stride = 3 * count;
        double x = Sum(k, e, stride, i), y = Sum(k, e, stride, count + i), z = Sum(k, e, stride, 2 * count + i);
        double squared = x * x + y * y + z * z;
        errorSquared[i] = squared <= double.MaxValue ? squared : double.PositiveInfinity;
        double sx = stage[i], sy = stage[count + i], sz = stage[2 * count + i];
        double norm = Math.Sqrt(sx * sx + sy * sy + sz * sz);
        drift[i] = region[i] == Geometry.Empty ? 0 : norm > 0 ? Math.Abs(norm - 1) : double.PositiveInfinity;
    }

    /// <summary>m = the stage, renormalised in magnetic cells as <see cref="Magnet.Normalize"/> does.</summary>
    private static void TakeStage(Index1D i, ArrayView<double> stage, ArrayView<double> m, ArrayView<int> region, int count) =>
        DeviceBlocks.StoreNormalised(m, i, count, region[i], stage[i], stage[count + i], stage[2 * count + i]);
}
