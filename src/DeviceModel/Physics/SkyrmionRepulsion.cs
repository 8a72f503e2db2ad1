namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// Skyrmion–skyrmion repulsion F(r) = A_ss·K₁(r/ξ_ss)·r̂ (Lin et al., PRB 87, 214419 (2013)).
/// Strength A_ss = 3 pN per magnetic layer; range ξ_ss = 1.6 R (20 nm at n = 4), longer than the single film's
/// exchange range (≈ R) because the tubes of a multilayer also repel through their stray fields. Both tuned on the
/// paper's 0 K and 300 K curves: a 30 MA/cm² pulse packs n = 4 skyrmions about 1.2 diameters apart
/// (K₁(1.5)·12 pN ≈ 3.3 pN against the 3.7 pN drive), so ≈ 10–11 fit under the MTJ (Fig. 4c: up to 1.6 G0), and at
/// 0 K each LTP pulse adds about one skyrmion under it (a ten-step staircase; with ξ_ss = R two arrived per pulse
/// and the staircase stopped after 7–8 steps). Distances below 0.2 ξ are clamped to keep the singular K₁ finite
/// when two particles overlap.
/// </summary>
public static class SkyrmionRepulsion
{
    public const double StrengthPerLayerN = 3e-12;

    /// <summary>ξ_ss in units of the skyrmion radius.</summary>
    public const double RangeInRadii = 1.6;

    /// <summary>Beyond 6 ξ the force is below 1.5e-3 of A_ss (K₁(6) ≈ 1.3e-3, ≈ 0.02 pN at n = 4): skipped.</summary>
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
