namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// The particle model's own energy landscape for one skyrmion passing the barrier through the gap beside it, the path
/// <c>device derive --crossing gap</c> measures by micromagnetics: the potentials of the edge and barrier forces
/// (U = A·ξ·exp(−(d − R)/ξ), the integrals of <see cref="EdgeRepulsion"/> and <see cref="BarrierForce"/>; pair forces absent)
/// from <see cref="StartFromFaceM"/> in front of the barrier's face to its middle, on the cheapest lane across the track at each
/// step (as <c>--lanes-nm</c> takes it by micromagnetics), relative to the same skyrmion <see cref="ReferenceFromFaceM"/> in front
/// of the face in the middle of the track. The highest of those is the saddle an isolated skyrmion must cross thermally; the
/// Arrhenius fit of the hot retention runs (<c>device retention</c>) should find it again if the particle model's crossings
/// are activated over it.
/// </summary>
public static class GapPassage
{
    public const double StartFromFaceM = -56e-9;
    public const double ReferenceFromFaceM = -70e-9;

    public static double BarrierJ(in ParticleParameters p)
    {
        double face = p.BarrierCenterXM - p.BarrierHalfLengthM;
        double reference = PotentialJ(p, face + ReferenceFromFaceM, p.TrackWidthM / 2), top = double.NegativeInfinity;
        for (double s = StartFromFaceM; s <= p.BarrierHalfLengthM; s += 0.1e-9)
        {
            double cheapest = double.PositiveInfinity;
            for (double y = 0.05e-9; y < p.TrackWidthM; y += 0.1e-9) cheapest = Math.Min(cheapest, PotentialJ(p, face + s, y));
            top = Math.Max(top, cheapest);
        }
        return top - reference;
    }

    /// <summary>Edge and barrier potential of one skyrmion centred at (x, y), J.</summary>
    public static double PotentialJ(in ParticleParameters p, double x, double y)
    {
        double edge = Edge(p, x) + Edge(p, p.TrackLengthM - x) + Edge(p, y) + Edge(p, p.TrackWidthM - y);
        double distance = Barrier.SignedDistance(p, x, y, out _, out _);
        return edge + p.BarrierStrengthN * p.BarrierRangeM * Math.Exp(-(distance - p.RadiusM) / p.BarrierRangeM);
    }

    private static double Edge(in ParticleParameters p, double distanceM) => p.EdgeStrengthN * p.EdgeRangeM * Math.Exp(-(distanceM - p.RadiusM) / p.EdgeRangeM);
}
