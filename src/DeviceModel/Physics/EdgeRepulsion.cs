namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// Repulsion from the four track edges, F = A_e·exp(−(d − R)/ξ_e) along the inward normal, d the centre-to-edge
/// distance (the tilted edge magnetization repels the skyrmion's wall). A_e and ξ_e per n come from the
/// <see cref="ParticleParameterSet"/> (tuned: 7 pN × n and 5 nm, which hold the Hall-pressed skyrmion at contact).
/// </summary>
public static class EdgeRepulsion
{
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
