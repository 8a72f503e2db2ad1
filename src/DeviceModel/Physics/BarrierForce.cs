namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// The barrier's raised anisotropy as a repulsive potential: F = A_b·exp(−s/ξ_b) along the barrier's outward normal,
/// s = (distance from the skyrmion centre to the barrier boundary) − R. A_b from the energy of the wall entering the
/// barrier over one wall width: A_b = ΔKu·t·2πR·Δ/Δ = (Ku,barrier − Ku)·t·2πR (≈ 45 pN at n = 4). ξ_b = 5 nm, as the
/// edge's <see cref="EdgeRepulsion.RangeM"/> (the same wall meeting a stiffer region).
/// </summary>
public static class BarrierForce
{
    /// <summary>ξ_b, m.</summary>
    public const double RangeM = 5e-9;

    private const double MaxExponent = 8;

    public static double StrengthN(Material material, double magneticThicknessM, double radiusM) =>
        (material.BarrierAnisotropyJPerM3 - material.AnisotropyJPerM3) * magneticThicknessM * 2 * Math.PI * radiusM;

    public static void Add(in ParticleParameters p, double x, double y, ref double forceX, ref double forceY)
    {
        double distance = Barrier.SignedDistance(p, x, y, out double nx, out double ny);
        double magnitude = p.BarrierStrengthN * Math.Exp(Math.Min(-(distance - p.RadiusM) / p.BarrierRangeM, MaxExponent));
        forceX += magnitude * nx;
        forceY += magnitude * ny;
    }
}
