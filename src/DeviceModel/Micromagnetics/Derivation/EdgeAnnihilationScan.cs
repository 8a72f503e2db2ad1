namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;

/// <summary>
/// How close to the film's edge a skyrmion can be held before it is lost: its core is frozen at decreasing distances d from
/// the edge (the film and pinning of <see cref="InteractionProfiles"/>'s edge profile), everything else minimized, and each
/// texture checked for a reversed domain that reaches the boundary (<see cref="PinnedSkyrmions.Result.OpenedToEdge"/>): there
/// the wall has opened onto the edge, the topological charge is gone, and a free core would be expelled through it. The
/// annihilation distance is the midpoint between the farthest opened distance and the next distance scanned (closed); the
/// particle model removes a skyrmion whose centre comes that close to an edge (<see cref="Physics.EdgeAnnihilation"/>).
/// Micromagnetically driven skyrmions pressed against the track's edge by the Hall drive die this way
/// (docs/micromagnetics.md, <c>device mm track</c>).
/// </summary>
public static class EdgeAnnihilationScan
{
    public sealed record Point(double DistanceM, double EnergyJ, double RadiusM, bool Opened, bool Converged);

    /// <summary><see cref="AnnihilationDistanceM"/> is NaN when no distance opened, or every one did (the scan does not bracket it).</summary>
    public sealed record Result(int MultilayerRepeats, IReadOnlyList<Point> Points, double AnnihilationDistanceM);

    /// <summary>The scan over <paramref name="distancesM"/>, nearest first; <paramref name="pointDone"/> hears of each point as it is measured.</summary>
    public static Result Run(int multilayerRepeats, IReadOnlyList<double> distancesM, double cellM, int threads = -1, Action<Point>? pointDone = null)
    {
        if (distancesM.Count < 2) throw new ArgumentException($"the edge-annihilation scan needs at least two distances (got {distancesM.Count}).");
        if (distancesM.Any(d => !(d > 0) || !double.IsFinite(d))) throw new ArgumentException("the edge-annihilation distances must be positive.");
        var points = new List<Point>();
        foreach (double d in distancesM.Order())
        {
            PinnedSkyrmions.Result r = InteractionProfiles.Pinned(InteractionProfiles.Kind.Edge, multilayerRepeats, d, cellM, InteractionProfiles.DefaultFilmLengthM(InteractionProfiles.Kind.Edge), threads);
            points.Add(new Point(d, r.EnergyJ, r.RadiusM, r.OpenedToEdge, r.Converged));
            pointDone?.Invoke(points[^1]);
        }
        return new Result(multilayerRepeats, points, Bracket(points));
    }

    /// <summary>Midpoint between the farthest opened distance and the closed one after it; NaN when the scan does not bracket it.</summary>
    public static double Bracket(IReadOnlyList<Point> pointsByDistance)
    {
        int last = -1;
        for (int i = 0; i < pointsByDistance.Count; i++)
            if (pointsByDistance[i].Opened) last = i;
        if (last < 0 || last == pointsByDistance.Count - 1) return double.NaN;
        return (pointsByDistance[last].DistanceM + pointsByDistance[last + 1].DistanceM) / 2;
    }
}
