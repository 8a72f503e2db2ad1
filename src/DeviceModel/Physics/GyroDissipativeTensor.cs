namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// The Thiele equation's left side, G×v − α𝔇·v + F = 0 with G = −4πQ·(Ms·t/γ)·ẑ (Q = −1 here, so G along +ẑ)
/// and 𝔇 = 4π𝒟·(Ms·t/γ): solved for the velocity given the total force (a 2×2 linear solve). The skyrmion Hall
/// angle follows, tan θ = G/(α𝔇) = |Q|/(α𝒟).
/// </summary>
public static class GyroDissipativeTensor
{
    /// <summary>4π·Ms·t/γ_e, kg/s: the gyrovector magnitude for |Q| = 1 (and 𝔇's scale).</summary>
    public static double GyroKgPerS(double saturationMagnetizationAPerM, double magneticThicknessM, double gyromagneticRatioRadPerST) =>
        4 * Math.PI * saturationMagnetizationAPerM * magneticThicknessM / gyromagneticRatioRadPerST;

    /// <summary>Velocity from force: [α𝔇, G; −G, α𝔇]·v = F.</summary>
    public static void Velocity(in ParticleParameters p, double forceX, double forceY, out double velocityX, out double velocityY)
    {
        double g = p.GyroKgPerS, d = p.DissipationKgPerS;
        double det = d * d + g * g;
        velocityX = (d * forceX - g * forceY) / det;
        velocityY = (g * forceX + d * forceY) / det;
    }
}
