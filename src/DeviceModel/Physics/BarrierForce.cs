namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// The barrier's raised anisotropy as a repulsive potential: F = A_b·exp(−(s − R)/ξ_b) along the barrier's outward normal,
/// s the distance from the skyrmion centre to the barrier boundary. A_b and ξ_b per n come from the
/// <see cref="ParticleParameterSet"/> (tuned: A_b = ΔKu·t·2πR, the energy of the wall entering the barrier over one wall
/// width, ≈ 45 pN at n = 4, and ξ_b = 5 nm; derived: fitted to the micromagnetic energy against distance).
/// </summary>
public static class BarrierForce
{
    private const double MaxExponent = 8;

    public static void Add(in ParticleParameters p, double x, double y, ref double forceX, ref double forceY)
    {
        double distance = Barrier.SignedDistance(p, x, y, out double nx, out double ny);
        double magnitude = p.BarrierStrengthN * Math.Exp(Math.Min(-(distance - p.RadiusM) / p.BarrierRangeM, MaxExponent));
        forceX += magnitude * nx;
        forceY += magnitude * ny;
    }
}
