using System.Diagnostics;
using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;

/// <summary>
/// An isolated skyrmion in the paper's [Pt 1 nm/Co 1 nm/Ir 1 nm]ₙ stack (Appendix A material, B_z = 80 mT): n Co layers
/// 1 nm thick at a 3 nm pitch, coupled through demag only (<see cref="Mesh.LayerPitchM"/>), in a square box of the
/// track's film with free edges; a reversed core of radius <see cref="SeedRadiusM"/> in every layer is minimized and its
/// m_z = 0 radius measured per layer (paper Fig. 4b: radius against n), with the Thiele integrals of the relaxed texture
/// (<see cref="Topology"/>): charge Q and dissipation factor 𝒟, whence the Thiele skyrmion Hall angle tan θ = |Q|/(α𝒟).
/// </summary>
public static class IsolatedSkyrmion
{
    /// <summary>Applied field, T (paper: 80 mT out of plane).</summary>
    public const double FieldT = 0.08;

    /// <summary>Radius of the reversed core the minimization starts from, m (the particle model's R at n = 4).</summary>
    public const double SeedRadiusM = 12.5e-9;

    public sealed record Result(int MultilayerRepeats, double RadiusM, IReadOnlyList<double> RadiusByLayerM, double EnergyAboveUniformJ,
        double TopologicalCharge, double DissipationFactor, double ThieleHallAngleDeg, int Iterations, bool Converged, double WallSeconds,
        IReadOnlyList<string> Warnings);

    public static Result Run(int multilayerRepeats, double cellM, double boxM, int threads = -1)
    {
        if (multilayerRepeats < 1) throw new ArgumentException($"--mml must be ≥ 1 (got {multilayerRepeats}).");
        if (!(boxM > 4 * SeedRadiusM)) throw new ArgumentException($"the box must be wider than 4 seed radii ({4 * SeedRadiusM * 1e9:F0} nm).");
        var clock = Stopwatch.StartNew();
        using Magnet magnet = Film(multilayerRepeats, cellM, boxM, threads);
        // The reference is the relaxed uniform state: its edges cant under DMI, which must not count as skyrmion energy.
        magnet.SetUniform(0, 0, 1);
        new Minimizer(magnet) { TorqueToleranceT = 1e-4 }.Minimize();
        double uniform = magnet.EnergyJ();
        Minimizer.Result minimized = SeedAndMinimize(magnet, boxM);
        double[] radii = [.. Enumerable.Range(0, multilayerRepeats).Select(layer => SkyrmionRadius.Measure(magnet, layer))];
        // The Thiele integrals over a disk of a quarter of the box: the whole skyrmion, not the canted edges.
        double within = boxM / 4;
        double charge = Enumerable.Range(0, multilayerRepeats).Average(layer => Topology.Charge(magnet, layer, within));
        double dissipation = Enumerable.Range(0, multilayerRepeats).Average(layer => Topology.DissipationFactor(magnet, layer, within));
        double hallDeg = Math.Atan2(Math.Abs(charge), magnet.Material.GilbertDamping * dissipation) * 180 / Math.PI;
        return new Result(multilayerRepeats, radii.Average(), radii, magnet.EnergyJ() - uniform, charge, dissipation, hallDeg,
            minimized.Iterations, minimized.Converged, clock.Elapsed.TotalSeconds, magnet.Warnings);
    }

    /// <summary>The film with the relaxed skyrmion in its middle: where the driven and the thermal runs start.</summary>
    public static Magnet Relaxed(int multilayerRepeats, double cellM, double boxM, int threads)
    {
        Magnet magnet = Film(multilayerRepeats, cellM, boxM, threads);
        SeedAndMinimize(magnet, boxM);
        return magnet;
    }

    /// <summary>n Co layers at the 3 nm pitch in a square film of side <paramref name="boxM"/>, at 80 mT.</summary>
    private static Magnet Film(int multilayerRepeats, double cellM, double boxM, int threads)
    {
        var paper = new Material();
        int cells = (int)Math.Round(boxM / cellM);
        var mesh = new Mesh(cells, cells, multilayerRepeats, boxM / cells, boxM / cells, paper.MagneticLayerThicknessM) { LayerPitchM = paper.RepeatThicknessM };
        var magnet = new Magnet(Geometry.Filled(mesh), new MagnetMaterial(), threads: threads);
        magnet.Zeeman.FieldT = (0, 0, FieldT);
        return magnet;
    }

    private static Minimizer.Result SeedAndMinimize(Magnet magnet, double boxM)
    {
        double centre = boxM / 2;
        magnet.Set((x, y, _) => (x - centre) * (x - centre) + (y - centre) * (y - centre) < SeedRadiusM * SeedRadiusM ? (0, 0, -1) : (0, 0, 1));
        return new Minimizer(magnet) { TorqueToleranceT = 1e-4 }.Minimize();
    }
}
