namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// A skyrmion of the [Pt/Co/Ir]ₙ stack as a rigid particle: radius R, wall width Δ, how stiff its breathing mode is,
/// and how many skyrmions the device holds. Calibrated preset data per repeat count n (paper Fig. 4b/4c):
/// <list type="bullet">
/// <item>R: n = 1 → 10 nm (energy-minimisation estimate for one layer at 80 mT, DESIGN.md); n = 4 → 12.5 nm
/// (1.5 D_skr = 37.5 nm gaps beside the 145 nm barrier); n = 6, 8 → 16.5, 22.5 nm, from the per-skyrmion
/// conductance steps of Fig. 4c (0.65 G0 / 8 and 0.75 G0 / 5 over the 30,800 nm² read area at TMR 280 %);
/// n = 2 → 11 nm, between n = 1 and 4 (radius grows with n, Fig. 4b).</item>
/// <item>Δ = 6 nm for every n (DESIGN.md's estimate; the wall is set by A, D and Ku, which do not change with n).</item>
/// <item>Breathing SD at 300 K: 7.5, 3.5, 2.5, 1.6, 0.9 nm for n = 1, 2, 4, 6, 8 (tuned so n = 4 at 300 K resolves
/// about six states, Fig. 3f, and one single-film device's ten-pulse staircase at most three, Fig. 2d: "only two
/// distinct states… because of fluctuations of the shape"; at 6.0 nm most single-film devices still resolved four).
/// The radial stiffness k_R = k_B·300 K / SD² follows; it grows at least with the magnetic volume (n = 4's 2.5 nm
/// would be ≥ 5 nm in one 1-nm film) and stray-field coupling between repeats stiffens the stack faster than n
/// (Fig. 4b: conductance SD falls with n).</item>
/// <item>Skyrmion count nucleated in the device: about 1.5× the post-synapse capacity of Fig. 4c (n = 2: 10,
/// n = 4: 13, n = 6: 8, n = 8: 5; the single film 10, Fig. 2c), because some skyrmions always stay jammed against
/// the barrier's pre-synapse face (paper Sec. II: "a few skyrmions being constrained in the pre-synapse region").</item>
/// </list>
/// </summary>
public readonly record struct SkyrmionGeometry(int MultilayerRepeats, double RadiusM, double WallWidthM, double BreathingSd300KM, int Count)
{
    public static readonly IReadOnlyList<SkyrmionGeometry> Presets =
    [
        new(1, 10.0e-9, 6e-9, 7.5e-9, 16),
        new(2, 11.0e-9, 6e-9, 3.5e-9, 16),
        new(4, 12.5e-9, 6e-9, 2.5e-9, 20),
        new(6, 16.5e-9, 6e-9, 1.6e-9, 12),
        new(8, 22.5e-9, 6e-9, 0.9e-9, 8),
    ];

    public static SkyrmionGeometry ForRepeats(int multilayerRepeats)
    {
        foreach (SkyrmionGeometry g in Presets)
            if (g.MultilayerRepeats == multilayerRepeats) return g;
        throw new ArgumentException(
            $"no skyrmion calibration for n = {multilayerRepeats} repeats; calibrated: {string.Join(", ", Presets.Select(p => p.MultilayerRepeats))}.");
    }

    public double DiameterM => 2 * RadiusM;

    /// <summary>Radial stiffness of the breathing mode, J/m², from the 300 K breathing SD (equipartition).</summary>
    public double BreathingStiffnessJPerM2 => PhysicalConstants.BoltzmannJPerK * 300 / (BreathingSd300KM * BreathingSd300KM);

    /// <summary>The dissipation factor 𝒟 ≈ (R/Δ + Δ/R)/2 of a Néel skyrmion's Thiele tensor.</summary>
    public double DissipationFactor => (RadiusM / WallWidthM + WallWidthM / RadiusM) / 2;
}
