using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;

/// <summary>
/// The energy a skyrmion of the [Pt/Co/Ir]ₙ stack meets on its way past the device's barrier (a strip of Ku 860 kJ/m³ against
/// the track's 717, <see cref="Physics.Barrier.LengthAlongTrackM"/> long): the core is pinned at positions s along the track, measured
/// from the barrier's face (s &lt; 0 in front of it, s = 30 nm its middle), everything else minimized, and E(s) − E_ref recorded,
/// E_ref the same skyrmion pinned <see cref="ReferenceOffsetM"/> in front of the face in the middle of the film. Two paths:
/// <see cref="Path.Over"/> straight across a barrier that spans the film (the energy to cross the Ku step itself), and
/// <see cref="Path.Gap"/> along the gap between the barrier and the film's edge (the barrier spans the film except a gap of the
/// given width at y = 0; the core travels on the gap's centre line unless lanes are given) — the way the particle model's
/// skyrmions pass. With several lanes (core distances from the edge at y = 0) every position is measured on each, and the path
/// takes the cheapest lane at each s: ΔE = max over s of min over lanes of E(s, y), the saddle a skyrmion free to move across
/// the gap meets (a single lane gives an upper bound on it). ΔE is the energy barrier thermal crossing must overcome.
/// </summary>
public static class BarrierCrossing
{
    public enum Path { Over, Gap }

    /// <summary>Film length along the track, m: room for the reference position (60 nm clear of the film's end) and the barrier in its middle.</summary>
    public const double FilmLengthM = 320e-9;

    /// <summary>Where E_ref is taken: this far in front of the barrier's face, m.</summary>
    public const double ReferenceOffsetM = 70e-9;

    /// <summary>One pinned texture: <see cref="Opened"/> when a lane so near the edge opened the skyrmion's wall onto it (no skyrmion passes
    /// there; its E is that of the annihilated texture, and its R is NaN).</summary>
    public sealed record Point(double PositionM, double LaneM, double EnergyJ, double RadiusM, bool Converged, bool Opened = false);

    public sealed record Result(Path Path, int MultilayerRepeats, double GapM, double WidthM, double ReferenceEnergyJ, IReadOnlyList<Point> Points,
        double BarrierJ, double BarrierPositionM, double BarrierLaneM, double WallSeconds);

    /// <summary>
    /// The profile along <paramref name="positionsM"/> (from the face, each moved to the nearest cell centre). <paramref name="gapM"/> is used by <see cref="Path.Gap"/> only.
    /// <paramref name="lanesM"/>: the core's distances from the film's edge at y = 0 (null: the gap's centre line, or the film's for <see cref="Path.Over"/>).
    /// <paramref name="pointDone"/> hears of each point as it is measured (a fine mesh takes minutes a point).
    /// <paramref name="torqueToleranceT"/> is where every minimization stops (tighter shows how much of E is the minimizer's).
    /// </summary>
    public static Result Run(Path path, int multilayerRepeats, IReadOnlyList<double> positionsM, double gapM, double widthM, double cellM, int threads = -1,
        Action<Point>? pointDone = null, double torqueToleranceT = PinnedSkyrmions.DefaultTorqueToleranceT, IReadOnlyList<double>? lanesM = null)
    {
        if (!(torqueToleranceT > 0 && torqueToleranceT < 1)) throw new ArgumentException($"the minimizer's torque tolerance must be in (0, 1) T (got {torqueToleranceT} T).");
        if (multilayerRepeats < 1) throw new ArgumentException($"--mml must be ≥ 1 (got {multilayerRepeats}).");
        if (path == Path.Gap && !(gapM > 0 && gapM < widthM - 2 * cellM)) throw new ArgumentException($"the gap must be > 0 and narrower than the film ({widthM * 1e9:F0} nm), got {gapM * 1e9:F1} nm.");
        if (positionsM.Count == 0) throw new ArgumentException("the crossing profile needs at least one position.");
        // A lane may run past the gap over the barrier's side: the Ku step is no hard wall, and the cheapest lane may lean on it.
        if (lanesM is not null && (lanesM.Count == 0 || lanesM.Any(y => !(y > 0 && y < widthM))))
            throw new ArgumentException($"every lane must lie inside the film, between 0 and {widthM * 1e9:F1} nm from the edge (got {string.Join(", ", (lanesM ?? []).Select(y => (y * 1e9).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} nm).");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var paper = new Material();
        Mesh mesh = FilmMesh(multilayerRepeats, widthM, cellM, paper);
        double face = (FilmLengthM - Physics.Barrier.LengthAlongTrackM) / 2, back = face + Physics.Barrier.LengthAlongTrackM;
        Geometry Film()
        {
            var geometry = Geometry.Filled(mesh);
            return geometry.Paint(2, (x, y) => x >= face && x < back && (path == Path.Over || y >= gapM));
        }
        (double[] positions, double[] lanes) = Plan(path, positionsM, gapM, widthM, cellM, lanesM);
        double reference = PinnedSkyrmions.Minimize(Film(), [(Snap(face - ReferenceOffsetM, mesh.CellXM), Snap(widthM / 2, mesh.CellYM))], threads, torqueToleranceT).EnergyJ;
        var points = new List<Point>();
        foreach (double s in positions)
            foreach (double lane in lanes)
            {
                PinnedSkyrmions.Result r = PinnedSkyrmions.Minimize(Film(), [(face + s, lane)], threads, torqueToleranceT);
                points.Add(new Point(s, lane, r.EnergyJ - reference, r.RadiusM, r.Converged, r.OpenedToEdge));
                pointDone?.Invoke(points[^1]);
            }
        Point top = Saddle(points);
        return new Result(path, multilayerRepeats, path == Path.Gap ? gapM : 0, widthM, reference, points, top.EnergyJ, top.PositionM, top.LaneM, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The positions (from the barrier's face) and lanes <see cref="Run"/> measures, m: each moved to its nearest cell centre, so the
    /// frozen core has the same cells at every point (a core on a cell boundary freezes another shape, which shifts E by several k_BT
    /// on a coarse grid), and each measured once where two snap to the same cell. Every position is measured on every lane.
    /// </summary>
    public static (double[] PositionsM, double[] LanesM) Plan(Path path, IReadOnlyList<double> positionsM, double gapM, double widthM, double cellM, IReadOnlyList<double>? lanesM = null)
    {
        Mesh mesh = FilmMesh(1, widthM, cellM, new Material());
        double face = (FilmLengthM - Physics.Barrier.LengthAlongTrackM) / 2;
        return ([.. positionsM.Select(s => Snap(face + s, mesh.CellXM) - face).Distinct()],
            [.. (lanesM ?? [path == Path.Over ? widthM / 2 : gapM / 2]).Select(y => Snap(y, mesh.CellYM)).Distinct()]);
    }

    private static Mesh FilmMesh(int multilayerRepeats, double widthM, double cellM, Material paper)
    {
        int nx = (int)Math.Round(FilmLengthM / cellM), ny = (int)Math.Round(widthM / cellM);
        return new Mesh(nx, ny, multilayerRepeats, FilmLengthM / nx, widthM / ny, paper.MagneticLayerThicknessM) { LayerPitchM = paper.RepeatThicknessM };
    }

    private static double Snap(double x, double cellM) => (Math.Floor(x / cellM) + 0.5) * cellM;

    /// <summary>
    /// The saddle of one gap measured in parts — lanes added by a later run — from each part's points (derive files): every part
    /// must be the same passage on the same mesh (gap, film width, n, cell size), since E − E_ref compares only there. Returns the
    /// barrier, J, and where it lies, nm.
    /// </summary>
    public static (double BarrierJ, double PositionNm, double LaneNm) SaddleOfParts(IReadOnlyList<(DerivedParameters.Crossing Crossing, double CellM, string Name)> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("no crossing to combine.");
        var first = parts[0];
        var points = new List<Point>();
        foreach (var (c, cellM, name) in parts)
        {
            if (c.Path != first.Crossing.Path || c.MultilayerRepeats != first.Crossing.MultilayerRepeats || Math.Abs(c.GapNm - first.Crossing.GapNm) > 1e-6
                || Math.Abs(c.WidthNm - first.Crossing.WidthNm) > 1e-6 || Math.Abs(cellM - first.CellM) > 1e-15)
                throw new ArgumentException(FormattableString.Invariant(
                    $"{name} measured another passage or mesh ({c.Path}, n = {c.MultilayerRepeats}, {c.GapNm:F1} nm gap, {c.WidthNm:F0} nm film, {cellM * 1e9:F2} nm cells) than {first.Name} ({first.Crossing.Path}, n = {first.Crossing.MultilayerRepeats}, {first.Crossing.GapNm:F1} nm gap, {first.Crossing.WidthNm:F0} nm film, {first.CellM * 1e9:F2} nm cells): only parts of one passage on one mesh combine."));
            for (int i = 0; i < c.PositionNm.Count; i++)
                points.Add(new Point(Math.Round(c.PositionNm[i], 6) * 1e-9, (c.LaneNm?[i] ?? c.GapNm / 2) * 1e-9, c.EnergyJ[i], (c.RadiusNm[i] ?? double.NaN) * 1e-9, true, c.Opened?[i] ?? false));
        }
        Point top = Saddle(points);
        return (top.EnergyJ, top.PositionM * 1e9, top.LaneM * 1e9);
    }

    /// <summary>
    /// The point the cheapest path passes at its highest: the lowest lane at each position, then the highest of those. Lanes that
    /// opened the skyrmion onto the edge are no path (the skyrmion would not survive them); a position where every lane opened is refused.
    /// </summary>
    public static Point Saddle(IEnumerable<Point> points)
    {
        var cheapest = new List<Point>();
        foreach (IGrouping<double, Point> atS in points.GroupBy(p => p.PositionM))
            cheapest.Add(atS.Where(p => !p.Opened).MinBy(p => p.EnergyJ) ?? throw new ArgumentException(
                FormattableString.Invariant($"at s = {atS.Key * 1e9:F1} nm every lane opened the skyrmion onto the edge, so none passes there intact: give lanes farther from the edge.")));
        return cheapest.MaxBy(p => p.EnergyJ)!;
    }
}
