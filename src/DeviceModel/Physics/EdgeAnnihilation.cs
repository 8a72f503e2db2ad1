namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// A skyrmion driven against the track's edge is lost there: micromagnetically its wall opens onto the edge once its centre
/// is within a distance d_ann of it (<c>device derive --edge-annihilation</c>), and a driven skyrmion pressed by the Hall
/// drive harder than the edge can push back shrinks and vanishes there (<c>device mm track</c>). The particle model removes a
/// skyrmion whose centre comes within d_ann of any of the four edges (<see cref="ParticleParameters.EdgeAnnihilationM"/>;
/// 0 keeps every skyrmion: the tuned set, a rigid particle held by the edge force). A removed skyrmion stays at
/// <see cref="MarkerM"/>, outside the track, where it exerts no force, covers no read area and is never integrated again.
/// </summary>
public static class EdgeAnnihilation
{
    /// <summary>x and y of an annihilated skyrmion, m: left of the track, where no live one can be.</summary>
    public const double MarkerM = -1;

    public static bool IsAnnihilated(double xM) => xM < 0;

    /// <summary>Whether a centre at (x, y) has come within d_ann of an edge (never, when d_ann is 0).</summary>
    public static bool Reached(in ParticleParameters p, double x, double y) =>
        p.EdgeAnnihilationM > 0 && Math.Min(Math.Min(x, p.TrackLengthM - x), Math.Min(y, p.TrackWidthM - y)) < p.EdgeAnnihilationM;

    /// <summary>Where a step that ends at (x, y) leaves the skyrmion: on the track (confined), or at the marker when it came
    /// within d_ann of an edge; true when it was lost.</summary>
    public static bool Land(in ParticleParameters p, double x, double y, out double landedXM, out double landedYM)
    {
        if (Reached(p, x, y))
        {
            landedXM = MarkerM;
            landedYM = MarkerM;
            return true;
        }
        landedXM = ThieleVelocity.Confine(x, p.RadiusM, p.TrackLengthM);
        landedYM = ThieleVelocity.Confine(y, p.RadiusM, p.TrackWidthM);
        return false;
    }
}
