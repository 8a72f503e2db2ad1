using System.Diagnostics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Problems;

/// <summary>
/// The 1-D problem of the DMI standard problems (Cortés-Ortuño et al., New J. Phys. 20, 113015 (2018)): a chain
/// 100 nm long of 1 nm cells, the disk's material (<see cref="DmiDiskProblem.Material"/>), no demag and no field, relaxed
/// from uniform +z. Nothing but the interfacial DMI's boundary condition tilts m: it cants at both ends and relaxes into
/// the bulk over the wall width, so the profile checks that condition alone. The problem is uniform across the chain
/// (mumax3 runs it periodic in y); with free edges only, the chain is the middle row of a square film
/// <see cref="WidthM"/> wide, whose own edges lie 80 nm, 14 wall widths (√(A/Ku) = 5.7 nm), from it — a film one cell wide
/// would give its cell two ghosts across, whose DMI terms add a hard axis along x of D²/2A. Reference: mumax3's m_z on
/// the same 100 cells (<see cref="Mumax3HalfMz"/>).
/// </summary>
public static class DmiChainProblem
{
    public const double LengthM = 100e-9, CellM = 1e-9, WidthM = 160e-9;

    /// <summary>
    /// mumax3's m_z at x = 0.5, 1.5, …, 49.5 nm from the chain's middle (100 cells of 1 nm, minimize()): the paper's
    /// supplement, notebooks/data/results_1d/result_1d_x-mz_interfacial_mumax3.txt
    /// (github.com/fangohr/paper-supplement-standard-problem-dmi), its x &gt; 0 half (the other mirrors it to 10⁻⁷).
    /// </summary>
    public static readonly IReadOnlyList<double> Mumax3HalfMz =
    [
        1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.99999994, 0.99999994, 0.9999999,
        0.9999998, 0.9999997, 0.9999995, 0.9999993, 0.9999989, 0.99999845, 0.99999785, 0.9999969, 0.99999547, 0.9999936,
        0.99999094, 0.99998707, 0.9999817, 0.9999739, 0.999963, 0.9999474, 0.9999254, 0.99989396, 0.99984944, 0.99978626,
        0.9996966, 0.99956936, 0.9993887, 0.9991324, 0.9987686, 0.9982527, 0.9975207, 0.99648273, 0.99501145, 0.99292713,
        0.9899767, 0.98580486, 0.97991514, 0.97161776, 0.9599637, 0.9436632, 0.920996, 0.889728, 0.84706885, 0.7897358,
    ];

    /// <summary>The minimization stops below this torque, T.</summary>
    public const double TorqueToleranceT = 1e-7;

    /// <summary>m along the chain (x from its middle, m) and the largest |Δm_z| from mumax3's, with where it falls.</summary>
    public sealed record Result(IReadOnlyList<(double XM, double Mx, double My, double Mz)> Profile, double Mumax3Deviation, double Mumax3DeviationAtM,
        int Iterations, bool Converged, double WallSeconds, IReadOnlyList<string> Warnings, string Backend);

    public static Result Run(int threads = -1)
    {
        var clock = Stopwatch.StartNew();
        int n = (int)Math.Round(LengthM / CellM), rows = (int)Math.Round(WidthM / CellM), row = rows / 2;
        var mesh = new Mesh(n, rows, 1, CellM, CellM, CellM);
        using var magnet = new Magnet(Geometry.Filled(mesh), DmiDiskProblem.Material, demag: false, threads: threads);
        magnet.SetUniform(0, 0, 1);
        Minimizer.Result relax = new Minimizer(magnet) { TorqueToleranceT = TorqueToleranceT }.Minimize();
        var profile = new List<(double, double, double, double)>(n);
        (double deviation, double atM) = (0, 0);
        for (int x = 0; x < n; x++)
        {
            double fromMiddleM = (x + 0.5) * CellM - LengthM / 2;
            int i = mesh.Index(x, row, 0);
            profile.Add((fromMiddleM, magnet.M.X[i], magnet.M.Y[i], magnet.M.Z[i]));
            double reference = Mumax3HalfMz[x < n / 2 ? n / 2 - 1 - x : x - n / 2];
            double d = Math.Abs(magnet.M.Z[i] - reference);
            if (d > deviation) (deviation, atM) = (d, fromMiddleM);
        }
        return new Result(profile, deviation, atM, relax.Iterations, relax.Converged, clock.Elapsed.TotalSeconds, magnet.Warnings, magnet.Backend);
    }
}
