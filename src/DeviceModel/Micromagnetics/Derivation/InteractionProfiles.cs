using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;

/// <summary>
/// The particle model's interaction ranges measured by micromagnetics: a skyrmion's core (the cells within one cell of
/// its centre) is frozen at a distance d from (a) the film's edge, (b) a region of the barrier's Ku, (c) a second frozen
/// skyrmion, everything else minimized, and the energy E(d) recorded. The force is −dE/dd by central differences; an
/// exponential F = A·exp(−(d − d₀)/ξ) fitted (log-linear least squares over the points where F &gt; 0) gives the decay length
/// ξ the particle model's <see cref="EdgeRepulsion"/>, <see cref="BarrierForce"/> and <see cref="SkyrmionRepulsion"/> use.
/// Any repeat count n of the paper's stack (n Co layers at the 3 nm pitch, every layer's core pinned alike).
/// </summary>
public static class InteractionProfiles
{
    public enum Kind { Edge, Barrier, Pair }

    public sealed record Point(double DistanceM, double EnergyJ);

    public sealed record Profile(Kind Kind, IReadOnlyList<Point> Points, IReadOnlyList<(double DistanceM, double ForceN)> Forces, double DecayLengthM, double AmplitudeN);

    /// <summary>
    /// The film's length along the profile when none is given: 160 nm (edge, barrier), 192 nm (pairs). Its far end pushes
    /// the larger skyrmions of n &gt; 1 as much as the interaction measured, so those want a longer film.
    /// </summary>
    public static double DefaultFilmLengthM(Kind kind) => kind == Kind.Pair ? 192e-9 : 160e-9;

    /// <summary>
    /// Distances are from the core centre to the edge / the barrier's boundary, or between the two centres.
    /// <paramref name="pointDone"/> hears of each point as it is measured.
    /// </summary>
    public static Profile Run(Kind kind, int multilayerRepeats, IReadOnlyList<double> distancesM, double cellM, double filmLengthM, int threads = -1,
        Action<Point>? pointDone = null)
    {
        CheckFilm(kind, distancesM, filmLengthM);
        var points = new List<Point>();
        foreach (double d in distancesM)
        {
            points.Add(new Point(d, Pinned(kind, multilayerRepeats, d, cellM, filmLengthM, threads).EnergyJ));
            pointDone?.Invoke(points[^1]);
        }
        var forces = new List<(double, double)>();
        for (int i = 1; i < points.Count - 1; i++)
            forces.Add((points[i].DistanceM, -(points[i + 1].EnergyJ - points[i - 1].EnergyJ) / (points[i + 1].DistanceM - points[i - 1].DistanceM)));
        (double decay, double amplitude) = FitExponential(forces);
        return new Profile(kind, points, forces, decay, amplitude);
    }

    /// <summary>Refuses a film that cannot hold the profile's farthest distance (before any minimization runs).</summary>
    public static void CheckFilm(Kind kind, IReadOnlyList<double> distancesM, double filmLengthM)
    {
        if (!(filmLengthM > 0) || !double.IsFinite(filmLengthM)) throw new ArgumentException($"the film length must be positive (got {filmLengthM * 1e9} nm).");
        double farthestM = distancesM.Max();
        // The edge's and the pair's cores sit within the film up to its length; the barrier's core in front of the barrier, which fills the film's second half.
        if (farthestM >= (kind == Kind.Barrier ? filmLengthM / 2 : filmLengthM))
            throw new ArgumentException(FormattableString.Invariant($"a {filmLengthM * 1e9:F0} nm film cannot hold the {kind.ToString().ToLowerInvariant()} profile's {farthestM * 1e9:F0} nm distance: give a longer film."));
    }

    /// <summary>The minimized texture with the core(s) held at <paramref name="distanceM"/> (the film of <see cref="Run"/>).</summary>
    public static PinnedSkyrmions.Result Pinned(Kind kind, int multilayerRepeats, double distanceM, double cellM, double lengthM, int threads)
    {
        const double widthM = 128e-9;
        var paper = new Material();
        int nx = (int)Math.Round(lengthM / cellM), ny = (int)Math.Round(widthM / cellM);
        var mesh = new Mesh(nx, ny, multilayerRepeats, lengthM / nx, widthM / ny, paper.MagneticLayerThicknessM) { LayerPitchM = paper.RepeatThicknessM };
        var geometry = Geometry.Filled(mesh);
        double barrierStartM = lengthM / 2;
        if (kind == Kind.Barrier) geometry.Paint(2, (x, _) => x >= barrierStartM);
        (double X, double Y)[] cores = kind switch
        {
            Kind.Edge => [(distanceM, widthM / 2)],
            Kind.Barrier => [(barrierStartM - distanceM, widthM / 2)],
            _ => [(lengthM / 2 - distanceM / 2, widthM / 2), (lengthM / 2 + distanceM / 2, widthM / 2)],
        };
        return PinnedSkyrmions.Minimize(geometry, cores, threads);
    }

    /// <summary>ξ and A of F = A·exp(−(d − d₀)/ξ), d₀ the first distance, by least squares on ln F; NaN when fewer than two positive forces.</summary>
    public static (double DecayLengthM, double AmplitudeN) FitExponential(IReadOnlyList<(double DistanceM, double ForceN)> forces)
    {
        var positive = forces.Where(f => f.ForceN > 0).ToList();
        if (positive.Count < 2) return (double.NaN, double.NaN);
        double d0 = positive[0].DistanceM, mx = positive.Average(f => f.DistanceM - d0), my = positive.Average(f => Math.Log(f.ForceN));
        double sxy = positive.Sum(f => (f.DistanceM - d0 - mx) * (Math.Log(f.ForceN) - my)), sxx = positive.Sum(f => (f.DistanceM - d0 - mx) * (f.DistanceM - d0 - mx));
        double slope = sxy / sxx;
        return (-1 / slope, Math.Exp(my - slope * mx));
    }

    /// <summary><paramref name="points"/> of <paramref name="all"/>, first and last included, evenly spread (all when 0); at least 3, for one central-difference force.</summary>
    public static double[] Spread(double[] all, int points)
    {
        if (points == 0 || points >= all.Length) return all;
        if (points < 3) throw new ArgumentException($"the profile points must be 0 or ≥ 3 (got {points}): a force needs three energies.");
        return [.. Enumerable.Range(0, points).Select(i => all[(int)Math.Round(i * (all.Length - 1) / (double)(points - 1))]).Distinct()];
    }
}
