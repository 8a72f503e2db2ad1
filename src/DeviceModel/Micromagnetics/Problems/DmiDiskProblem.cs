using System.Diagnostics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Problems;

/// <summary>
/// The 2-D problem of the DMI standard problems (Cortés-Ortuño et al., New J. Phys. 20, 113015 (2018)): a disk 100 nm
/// across, 2 nm thick, Ms 860 kA/m, A 13 pJ/m, interfacial D 3 mJ/m², Ku 0.4 MJ/m³ out of plane, no demag and no field;
/// a reversed core of half the disk's radius relaxes into an isolated skyrmion. Reference: the m_z = 0 radius of the
/// paper's ODE solution, 22.03 nm (its supplement, notebooks/data/results_2d/result_2d_r-mz_interfacial_ODE.txt,
/// interpolated). Its D = 3 mJ/m² is −3 mJ/m² in mumax3's convention, which is ours (E = D [m_z ∇·m − (m·∇) m_z]): its
/// supplement's mumax3 scripts set Dind = −3 mJ/m², and its ODE's edge canting (1-D problem) has the sign ours has with
/// −3 (m_z and the radius do not depend on the sign; the in-plane components flip with it). The paper's mumax3 run uses
/// 2 nm cells; on that mesh the whole profile is compared with mumax3's (<see cref="Mumax3ProfileMz"/>), cell by cell.
/// </summary>
public static class DmiDiskProblem
{
    public const double DiameterM = 100e-9, ThicknessM = 2e-9;

    /// <summary>m_z = 0 radius of the reference ODE profile, m.</summary>
    public const double ReferenceRadiusM = 22.03e-9;

    /// <summary>The minimization stops below this torque, T (at 2 nm the profile then lies within 3 × 10⁻⁶ of its 10⁻⁸ T state).</summary>
    public const double TorqueToleranceT = 1e-7;

    /// <summary>Cell size of the paper's mumax3 run, m.</summary>
    public const double Mumax3CellM = 2e-9;

    /// <summary>
    /// mumax3's m_z on the row of cells just above the disk's centre, at x = 1, 3, …, 49 nm from it (50 × 50 cells of 2 nm,
    /// minimize()): the paper's supplement, notebooks/data/results_2d/result_2d_r-mz_interfacial_mumax3.txt
    /// (github.com/fangohr/paper-supplement-standard-problem-dmi), its x &gt; 0 half.
    /// </summary>
    public static readonly IReadOnlyList<double> Mumax3ProfileMz =
    [
        0.9997414399999999812, 0.9986174000000002104, 0.9959006999999999721, 0.9904477000000000420, 0.9799396000000000218,
        0.9598929999999999962, 0.9218946700000000272, 0.8509392000000000067, 0.7231294999999999806, 0.5095963999999999494,
        0.1987065699999999990, -0.1670325000000000004, -0.4978833200000000181, -0.7316549399999999759, -0.8693260000000000431,
        -0.9415906699999999629, -0.9768670000000000408, -0.9929495000000000404, -0.9991529000000000105, -0.9996174599999999577,
        -0.9953326000000000118, -0.9848023999999999667, -0.9635159399999999597, -0.9221591999999999567, -0.8436565000000000314,
    ];

    public static readonly MagnetMaterial Material = new()
    {
        SaturationMagnetizationAPerM = 860e3,
        ExchangeStiffnessJPerM = 13e-12,
        InterfacialDmiJPerM2 = -3e-3,
        AnisotropyJPerM3ByRegion = [0, 0.4e6],
    };

    /// <summary><paramref name="Mumax3Deviation"/>: the largest |Δm_z| from <see cref="Mumax3ProfileMz"/> and where (x from the
    /// centre, m), on mumax3's mesh only.</summary>
    public sealed record Result(double CellM, double RadiusM, double ReferenceRadiusM, int RelaxSteps, bool Converged, double EnergyJ,
        IReadOnlyList<(double RadiusM, double Mz)> Profile, (double Mz, double AtM)? Mumax3Deviation, double WallSeconds, IReadOnlyList<string> Warnings, string Backend);

    public static Result Run(double cellM, int threads = -1)
    {
        var clock = Stopwatch.StartNew();
        int n = (int)Math.Round(DiameterM / cellM);
        var mesh = new Mesh(n, n, 1, DiameterM / n, DiameterM / n, ThicknessM);
        using var magnet = new Magnet(Geometry.Disk(mesh, DiameterM), Material, demag: false, threads: threads);
        double centre = DiameterM / 2;
        magnet.Set((x, y, _) => (x - centre) * (x - centre) + (y - centre) * (y - centre) < DiameterM * DiameterM / 16 ? (0, 0, 1) : (0, 0, -1));
        Minimizer.Result relax = new Minimizer(magnet) { TorqueToleranceT = TorqueToleranceT }.Minimize();
        double radius = SkyrmionRadius.Measure(magnet);
        var profile = new List<(double, double)>();
        int row = n / 2;
        for (int x = n / 2; x < n; x++) profile.Add(((x + 0.5) * mesh.CellXM - centre, magnet.M.Z[mesh.Index(x, row, 0)]));
        (double, double)? deviation = n == (int)Math.Round(DiameterM / Mumax3CellM)
            ? profile.Select((p, i) => (Math.Abs(p.Item2 - Mumax3ProfileMz[i]), p.Item1)).MaxBy(d => d.Item1)
            : null;
        return new Result(mesh.CellXM, radius, ReferenceRadiusM, relax.Iterations, relax.Converged, magnet.EnergyJ(), profile, deviation,
            clock.Elapsed.TotalSeconds, magnet.Warnings, magnet.Backend);
    }
}
