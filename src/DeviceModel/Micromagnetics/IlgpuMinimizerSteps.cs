using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// <see cref="MinimizerSteps"/> with m, g and their last values kept on the device: the gradient is the device's
/// damping-only torque rescaled (as <see cref="Magnet.EnergyGradient"/> does on the ILGPU path), the descent and the
/// Barzilai–Borwein products are kernels, and an iteration brings back four numbers (max |g|², s·s, s·y, y·y) where the
/// host's iterations move m up and g back. For a magnet with nothing on the host (<see cref="Magnet.CanStepOnDevice"/>).
/// The sums run in the reduction's order, not the host's, so the two take the same path to rounding only.
/// </summary>
internal sealed class IlgpuMinimizerSteps : MinimizerSteps
{
    private readonly Magnet _magnet;
    private readonly IlgpuTorqueBackend _backend;
    private readonly int _count;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _m, _g, _previousM, _previousG, _squares, _products, _results;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _frozen;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<int>, ArrayView<double>, double, int> _rescale;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<int>, double, int> _descend;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, int> _differences;
    private readonly Reduction<double, Stride1D.Dense> _max, _sum;
    private readonly double[] _resultsOnHost = new double[4];

    public IlgpuMinimizerSteps(Magnet magnet, IReadOnlySet<int>? frozen)
    {
        if (!magnet.CanStepOnDevice || magnet.Ilgpu is not { } backend)
            throw new InvalidOperationException("minimizing on the device needs the ILGPU path with no field on the host (demag on the device or none).");
        (_magnet, _backend, _count) = (magnet, backend, magnet.Mesh.Count);
        Accelerator accelerator = backend.Accelerator;
        long stride = 3L * _count;
        (_m, _g, _previousM, _previousG) = (accelerator.Allocate1D<double>(stride), accelerator.Allocate1D<double>(stride), accelerator.Allocate1D<double>(stride),
            accelerator.Allocate1D<double>(stride));
        (_squares, _products, _results) = (accelerator.Allocate1D<double>(_count), accelerator.Allocate1D<double>(stride), accelerator.Allocate1D<double>(4));
        int[] isFrozen = new int[_count];
        foreach (int i in frozen ?? new HashSet<int>()) isFrozen[i] = 1;
        _frozen = accelerator.Allocate1D(isFrozen);
        _rescale = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<int>, ArrayView<double>, double, int>(Rescale);
        _descend = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<int>, double, int>(Descend);
        _differences = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, int>(Products);
        _max = accelerator.CreateReduction<double, Stride1D.Dense, MaxDouble>();
        _sum = accelerator.CreateReduction<double, Stride1D.Dense, AddDouble>();
        DeviceBlocks.Upload(_m.View, magnet.M);
    }

    public override double Gradient()
    {
        _backend.DeviceTorque(_m.View, _g.View, _magnet.KernelParameters(precession: false), _magnet.Thermal);
        _rescale(_count, _g.View, _frozen.View, _squares.View, _magnet.GradientPerDampingTorque, _count);
        ArrayView<double> largest = _results.View.SubView(0, 1);
        largest.MemSetToZero();
        _max(_backend.Accelerator.DefaultStream, _squares.View, largest);
        largest.CopyToCPU(new Span<double>(_resultsOnHost, 0, 1));
        // A NaN cell arrives as +∞ (the maximum keeps it), as does an overflow: either is a divergence.
        return double.IsPositiveInfinity(_resultsOnHost[0]) ? double.NaN : Math.Sqrt(_resultsOnHost[0]);
    }

    /// <summary>The NaN or zero m surfaces in the next <see cref="Gradient"/> (the normalisation divides by its norm).</summary>
    public override bool Descend(double step)
    {
        _descend(_count, _m.View, _g.View, _previousM.View, _previousG.View, _backend.Region, step, _count);
        return true;
    }

    public override (double Ss, double Sy, double Yy) Differences()
    {
        _differences(_count, _m.View, _g.View, _previousM.View, _previousG.View, _products.View, _count);
        ArrayView<double> sums = _results.View.SubView(1, 3);
        sums.MemSetToZero();
        for (int k = 0; k < 3; k++) _sum(_backend.Accelerator.DefaultStream, _products.View.SubView((long)k * _count, _count), sums.SubView(k, 1));
        sums.CopyToCPU(new Span<double>(_resultsOnHost, 1, 3));
        return (_resultsOnHost[1], _resultsOnHost[2], _resultsOnHost[3]);
    }

    public override void CopyToHost()
    {
        _backend.Accelerator.Synchronize();
        DeviceBlocks.Download(_m.View, _magnet.M);
    }

    public override void Dispose()
    {
        foreach (MemoryBuffer buffer in (MemoryBuffer[])[_m, _g, _previousM, _previousG, _squares, _products, _results, _frozen]) buffer.Dispose();
    }

    /// <summary>g ← scale × the damping-only torque (zero in frozen cells) and |g|² per cell (+∞ where NaN).</summary>
    private static void Rescale(Index1D i, ArrayView<double> g, ArrayView<int> frozen, ArrayView<double> squares, double scale, int count)
    {
        double keep = frozen[i] != 0 ? 0 : scale;
        double x = g[i] * keep, y = g[count + i] * keep, z = g[2 * count + i] * keep;
        (g[i], g[count + i], g[2 * count + i]) = (x, y, z);
        double squared = x * x + y * y + z * z;
        squares[i] = squared <= double.MaxValue ? squared : double.PositiveInfinity;
    }

    /// <summary>Remembers m and g, then m ← m − step g, renormalised in magnetic cells as <see cref="Magnet.Normalize"/> does.</summary>
    private static void Descend(Index1D i, ArrayView<double> m, ArrayView<double> g, ArrayView<double> previousM, ArrayView<double> previousG,
        ArrayView<int> region, double step, int count)
    {
        double x = m[i], y = m[count + i], z = m[2 * count + i];
        (previousM[i], previousM[count + i], previousM[2 * count + i]) = (x, y, z);
        (previousG[i], previousG[count + i], previousG[2 * count + i]) = (g[i], g[count + i], g[2 * count + i]);
        DeviceBlocks.StoreNormalised(m, i, count, region[i], x - step * g[i], y - step * g[count + i], z - step * g[2 * count + i]);
    }

    /// <summary>Per cell s·s, s·y and y·y into three blocks of <paramref name="products"/>.</summary>
    private static void Products(Index1D i, ArrayView<double> m, ArrayView<double> g, ArrayView<double> previousM, ArrayView<double> previousG,
        ArrayView<double> products, int count)
    {
        double sx = m[i] - previousM[i], sy = m[count + i] - previousM[count + i], sz = m[2 * count + i] - previousM[2 * count + i];
        double yx = g[i] - previousG[i], yy = g[count + i] - previousG[count + i], yz = g[2 * count + i] - previousG[2 * count + i];
        products[i] = sx * sx + sy * sy + sz * sz;
        products[count + i] = sx * yx + sy * yy + sz * yz;
        products[2 * count + i] = yx * yx + yy * yy + yz * yz;
    }
}
