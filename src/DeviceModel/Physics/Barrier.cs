namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// The barrier between the pre- and post-synapse regions: a rounded rectangle of raised anisotropy in the middle of
/// the track (paper: 145 nm across × 60 nm along, Ku 860 kJ/m³). Its across-track size follows from the
/// barrier-to-edge interspace: each of the two gaps at the edges is <c>interspace · D_skr</c> wide, so 1.5 D_skr at
/// D_skr = 25 nm gives the paper's 145 nm.
/// </summary>
public readonly record struct Barrier(double CenterXM, double CenterYM, double HalfLengthM, double HalfWidthM, double CornerRadiusM)
{
    /// <summary>The paper's barrier length along the track, m.</summary>
    public const double LengthAlongTrackM = 60e-9;

    /// <summary>Corner radius of the rounded rectangle, m (the paper draws rounded corners without a value; 15 nm chosen).</summary>
    public const double NominalCornerRadiusM = 15e-9;

    /// <summary>The barrier in the middle of <paramref name="track"/> leaving two gaps of <paramref name="interspaceDskr"/> skyrmion diameters.</summary>
    public static Barrier ForInterspace(Track track, double interspaceDskr, double skyrmionDiameterM)
    {
        if (!(interspaceDskr > 0)) throw new ArgumentException($"barrier interspace must be > 0 skyrmion diameters (got {interspaceDskr}).");
        double gap = interspaceDskr * skyrmionDiameterM;
        double across = track.WidthM - 2 * gap;
        if (across < 10e-9)
            throw new ArgumentException($"barrier interspace {interspaceDskr} D_skr leaves no barrier: two gaps of {gap * 1e9:F1} nm exceed the {track.WidthM * 1e9:F0} nm track.");
        double corner = Math.Min(NominalCornerRadiusM, Math.Min(across, LengthAlongTrackM) / 2);
        return new Barrier(track.LengthM / 2, track.WidthM / 2, LengthAlongTrackM / 2, across / 2, corner);
    }

    /// <summary>
    /// Signed distance from (x, y) to the barrier's boundary (negative inside) and the outward unit normal there.
    /// </summary>
    public static double SignedDistance(in ParticleParameters p, double x, double y, out double normalX, out double normalY)
    {
        double dx = x - p.BarrierCenterXM, dy = y - p.BarrierCenterYM;
        double sx = dx >= 0 ? 1 : -1, sy = dy >= 0 ? 1 : -1;
        double qx = Math.Abs(dx) - (p.BarrierHalfLengthM - p.BarrierCornerRadiusM);
        double qy = Math.Abs(dy) - (p.BarrierHalfWidthM - p.BarrierCornerRadiusM);
        if (qx > 0 && qy > 0)
        {
            double len = Math.Sqrt(qx * qx + qy * qy);
            normalX = sx * qx / len;
            normalY = sy * qy / len;
            return len - p.BarrierCornerRadiusM;
        }
        if (qx > qy)
        {
            normalX = sx;
            normalY = 0;
            return qx - p.BarrierCornerRadiusM;
        }
        normalX = 0;
        normalY = sy;
        return qy - p.BarrierCornerRadiusM;
    }
}
