namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// Skyrmion–skyrmion repulsion F(r) = A_ss·K₁(r/ξ_ss)·r̂ (Lin et al., PRB 87, 214419 (2013)); A_ss and ξ_ss per n come
/// from the <see cref="ParticleParameterSet"/> (tuned: 3 pN × n and 1.6 R, chosen so a 30 MA/cm² pulse packs n = 4
/// skyrmions ≈ 1.2 diameters apart and each 0 K LTP pulse adds about one under the MTJ). Distances below 0.2 ξ are
/// clamped to keep the singular K₁ finite when two particles overlap.
/// </summary>
public static class SkyrmionRepulsion
{
    /// <summary>Beyond 6 ξ the force is below 1.5e-3 of A_ss (K₁(6) ≈ 1.3e-3): skipped.</summary>
    public const double CutoffRanges = 6;

    /// <summary>Adds the force that the skyrmion at (xj, yj) exerts on the one at (xi, yi).</summary>
    public static void Add(in ParticleParameters p, double xi, double yi, double xj, double yj, ref double forceX, ref double forceY)
    {
        double dx = xi - xj, dy = yi - yj;
        double r2 = dx * dx + dy * dy;
        double cutoff = CutoffRanges * p.RepulsionRangeM;
        if (r2 > cutoff * cutoff) return;
        double r = Math.Sqrt(r2);
        double minimum = 0.2 * p.RepulsionRangeM;
        if (r < minimum)
        {
            // Coincident particles (only at nucleation): push apart along x.
            if (r == 0) { dx = minimum; r = minimum; }
            else { dx *= minimum / r; dy *= minimum / r; r = minimum; }
        }
        double magnitude = p.RepulsionStrengthN * BesselK1.Evaluate(r / p.RepulsionRangeM);
        forceX += magnitude * dx / r;
        forceY += magnitude * dy / r;
    }
}
