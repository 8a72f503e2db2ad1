namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// Repulsion from the four track edges, F = A_e·exp(−(d − R)/ξ_e) along the inward normal, d the centre-to-edge
/// distance (the tilted edge magnetization repels the skyrmion's wall). A_e = 7 pN per magnetic layer at contact
/// (tuned: at n = 4 the edge holds the ≈ 7.8 × 3.7 pN that the Hall motion presses a 30 MA/cm²-driven skyrmion onto
/// it with, so a pressed skyrmion rides the edge without crossing it). ξ_e = 5 nm, a little under the wall width
/// Δ = 6 nm (tuned with <see cref="BarrierForce.RangeM"/>, which together set how wide a barrier gap must be for a
/// skyrmion to pass, Fig. 5c: jammed at ≤ 1.0 D_skr, passing from 1.2 D_skr, diffusing back during an idle from
/// ≈ 2 D_skr).
/// </summary>
public static class EdgeRepulsion
{
    public const double StrengthPerLayerN = 7e-12;

    /// <summary>ξ_e, m.</summary>
    public const double RangeM = 5e-9;

    /// <summary>Largest exponent used, so a particle pushed past an edge meets a large but finite force.</summary>
    private const double MaxExponent = 8;

    public static void Add(in ParticleParameters p, double x, double y, ref double forceX, ref double forceY)
    {
        forceX += Push(p, x) - Push(p, p.TrackLengthM - x);
        forceY += Push(p, y) - Push(p, p.TrackWidthM - y);
    }

    private static double Push(in ParticleParameters p, double distanceM) =>
        p.EdgeStrengthN * Math.Exp(Math.Min(-(distanceM - p.RadiusM) / p.EdgeRangeM, MaxExponent));
}
