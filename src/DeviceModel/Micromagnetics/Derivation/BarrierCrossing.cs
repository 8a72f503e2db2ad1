using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;

/// <summary>
/// The energy a skyrmion of the [Pt/Co/Ir]ₙ stack meets on its way past the device's barrier (a strip of Ku 860 kJ/m³ against
/// the track's 717, <see cref="Physics.Barrier.LengthAlongTrackM"/> long): the core is pinned at positions s along the track, measured
/// from the barrier's face (s &lt; 0 in front of it, s = 30 nm its middle), everything else minimized, and E(s) − E_ref recorded,
/// E_ref the same skyrmion pinned <see cref="ReferenceOffsetM"/> in front of the face in the middle of the film. Two paths:
/// <see cref="Path.Over"/> straight across a barrier that spans the film (the energy to cross the Ku step itself), and
/// <see cref="Path.Gap"/> along the gap between the barrier and the film's edge (the barrier spans the film except a gap of the
/// given width at y = 0; the core travels on the gap's centre line) — the way the particle model's skyrmions pass. The
/// maximum of E(s) is the barrier's energy barrier ΔE that thermal crossing must overcome.
/// </summary>
public static class BarrierCrossing
{
    public enum Path { Over, Gap }

    /// <summary>Film length along the track, m: room for the reference position (60 nm clear of the film's end) and the barrier in its middle.</summary>
    public const double FilmLengthM = 320e-9;

    /// <summary>Where E_ref is taken: this far in front of the barrier's face, m.</summary>
    public const double ReferenceOffsetM = 70e-9;

    public sealed record Point(double PositionM, double EnergyJ, double RadiusM, bool Converged);

    public sealed record Result(Path Path, int MultilayerRepeats, double GapM, double WidthM, double ReferenceEnergyJ, IReadOnlyList<Point> Points,
        double BarrierJ, double BarrierPositionM, double WallSeconds);

    /// <summary>
    /// The profile along <paramref name="positionsM"/> (from the face, each moved to the nearest cell centre). <paramref name="gapM"/> is used by <see cref="Path.Gap"/> only.
    /// <paramref name="pointDone"/> hears of each point as it is measured (a fine mesh takes minutes a point).
    /// </summary>
    public static Result Run(Path path, int multilayerRepeats, IReadOnlyList<double> positionsM, double gapM, double widthM, double cellM, int threads = -1,
        Action<Point>? pointDone = null)
    {
        if (multilayerRepeats < 1) throw new ArgumentException($"--mml must be ≥ 1 (got {multilayerRepeats}).");
        if (path == Path.Gap && !(gapM > 0 && gapM < widthM - 2 * cellM)) throw new ArgumentException($"the gap must be > 0 and narrower than the film ({widthM * 1e9:F0} nm), got {gapM * 1e9:F1} nm.");
        if (positionsM.Count == 0) throw new ArgumentException("the crossing profile needs at least one position.");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var paper = new Material();
        int nx = (int)Math.Round(FilmLengthM / cellM), ny = (int)Math.Round(widthM / cellM);
        var mesh = new Mesh(nx, ny, multilayerRepeats, FilmLengthM / nx, widthM / ny, paper.MagneticLayerThicknessM) { LayerPitchM = paper.RepeatThicknessM };
        double face = (FilmLengthM - Physics.Barrier.LengthAlongTrackM) / 2, back = face + Physics.Barrier.LengthAlongTrackM;
        Geometry Film()
        {
            var geometry = Geometry.Filled(mesh);
            return geometry.Paint(2, (x, y) => x >= face && x < back && (path == Path.Over || y >= gapM));
        }
        // Every core sits on a cell centre, so the frozen core has the same cells at every position (a core on a cell boundary
        // freezes another shape, which shifts E by several k_BT on a coarse grid).
        double SnapX(double x) => (Math.Floor(x / mesh.CellXM) + 0.5) * mesh.CellXM;
        double SnapY(double y) => (Math.Floor(y / mesh.CellYM) + 0.5) * mesh.CellYM;
        double lane = SnapY(path == Path.Over ? widthM / 2 : gapM / 2);
        double reference = PinnedSkyrmions.Minimize(Film(), [(SnapX(face - ReferenceOffsetM), SnapY(widthM / 2))], threads).EnergyJ;
        var points = new List<Point>();
        foreach (double s in positionsM)
        {
            double x = SnapX(face + s);
            PinnedSkyrmions.Result r = PinnedSkyrmions.Minimize(Film(), [(x, lane)], threads);
            points.Add(new Point(x - face, r.EnergyJ - reference, r.RadiusM, r.Converged));
            pointDone?.Invoke(points[^1]);
        }
        Point top = points.MaxBy(p => p.EnergyJ)!;
        return new Result(path, multilayerRepeats, path == Path.Gap ? gapM : 0, widthM, reference, points, top.EnergyJ, top.PositionM, clock.Elapsed.TotalSeconds);
    }
}
