using System.Diagnostics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Problems;

/// <summary>
/// The 2-D problem of the DMI standard problems (Cortés-Ortuño et al., New J. Phys. 20, 113015 (2018)): a disk 100 nm
/// across, 2 nm thick, Ms 860 kA/m, A 13 pJ/m, interfacial D 3 mJ/m², Ku 0.4 MJ/m³ out of plane, no demag and no field;
/// a reversed core of half the disk's radius relaxes into an isolated skyrmion. Reference: the m_z = 0 radius of the
/// paper's ODE solution, 22.03 nm (its supplement, notebooks/data/results_2d/result_2d_r-mz_interfacial_ODE.txt,
/// interpolated); the paper's mumax3 script uses 2 nm cells and Dind = −3 mJ/m² (its sign convention; the radius does
/// not depend on the sign when the start is collinear).
/// </summary>
public static class DmiDiskProblem
{
    public const double DiameterM = 100e-9, ThicknessM = 2e-9;

    /// <summary>m_z = 0 radius of the reference ODE profile, m.</summary>
    public const double ReferenceRadiusM = 22.03e-9;

    public static readonly MagnetMaterial Material = new()
    {
        SaturationMagnetizationAPerM = 860e3,
        ExchangeStiffnessJPerM = 13e-12,
        InterfacialDmiJPerM2 = 3e-3,
        AnisotropyJPerM3ByRegion = [0, 0.4e6],
    };

    public sealed record Result(double CellM, double RadiusM, double ReferenceRadiusM, int RelaxSteps, bool Converged, double EnergyJ,
        IReadOnlyList<(double RadiusM, double Mz)> Profile, double WallSeconds, IReadOnlyList<string> Warnings, string Backend);

    public static Result Run(double cellM, int threads = -1)
    {
        var clock = Stopwatch.StartNew();
        int n = (int)Math.Round(DiameterM / cellM);
        var mesh = new Mesh(n, n, 1, DiameterM / n, DiameterM / n, ThicknessM);
        using var magnet = new Magnet(Geometry.Disk(mesh, DiameterM), Material, demag: false, threads: threads);
        double centre = DiameterM / 2;
        magnet.Set((x, y, _) => (x - centre) * (x - centre) + (y - centre) * (y - centre) < DiameterM * DiameterM / 16 ? (0, 0, 1) : (0, 0, -1));
        Minimizer.Result relax = new Minimizer(magnet) { TorqueToleranceT = 1e-5 }.Minimize();
        double radius = SkyrmionRadius.Measure(magnet);
        var profile = new List<(double, double)>();
        int row = n / 2;
        for (int x = n / 2; x < n; x++) profile.Add(((x + 0.5) * mesh.CellXM - centre, magnet.M.Z[mesh.Index(x, row, 0)]));
        return new Result(mesh.CellXM, radius, ReferenceRadiusM, relax.Iterations, relax.Converged, magnet.EnergyJ(), profile, clock.Elapsed.TotalSeconds, magnet.Warnings, magnet.Backend);
    }
}
