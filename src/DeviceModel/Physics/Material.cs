namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// The [Pt/Co/Ir]ₙ multilayer's material parameters, every one from the paper's Appendix A unless stated.
/// Each repeat is Pt 1 nm / Co 1 nm / Ir 1 nm (the paper's t = 3n nm stack), so the magnetic (Co) thickness is n nm.
/// </summary>
public sealed record Material
{
    /// <summary>Saturation magnetization Ms, A/m (paper: 956 kA/m).</summary>
    public double SaturationMagnetizationAPerM { get; init; } = 956e3;

    /// <summary>Exchange stiffness A, J/m (paper: 10 pJ/m).</summary>
    public double ExchangeStiffnessJPerM { get; init; } = 10e-12;

    /// <summary>Interfacial DMI D, J/m² (paper: 1.7 mJ/m²).</summary>
    public double DmiJPerM2 { get; init; } = 1.7e-3;

    /// <summary>Uniaxial anisotropy Ku of the track, J/m³ (paper: 717 kJ/m³).</summary>
    public double AnisotropyJPerM3 { get; init; } = 717e3;

    /// <summary>Uniaxial anisotropy of the barrier region, J/m³ (paper: 860 kJ/m³).</summary>
    public double BarrierAnisotropyJPerM3 { get; init; } = 860e3;

    /// <summary>Gilbert damping α (paper: 0.1).</summary>
    public double GilbertDamping { get; init; } = 0.1;

    /// <summary>Gyromagnetic ratio γ0 = μ0·γ_e, m/(A·s) (paper: 2.211e5).</summary>
    public double GyromagneticRatioMPerAS { get; init; } = 2.211e5;

    /// <summary>Spin-Hall angle θ_SH of the heavy metal (paper: 0.6).</summary>
    public double SpinHallAngle { get; init; } = 0.6;

    /// <summary>Co thickness of one repeat, m (1 nm of the 3 nm repeat).</summary>
    public double MagneticLayerThicknessM { get; init; } = 1e-9;

    /// <summary>Thickness of one Pt/Co/Ir repeat, m (paper: t = 3n nm).</summary>
    public double RepeatThicknessM { get; init; } = 3e-9;

    /// <summary>Resistivity of the thin Pt that carries the programming current, Ω·m (paper: 20–80 μΩ·cm; 40 μΩ·cm chosen).</summary>
    public double HeavyMetalResistivityOhmM { get; init; } = 40e-8;

    /// <summary>γ_e = γ0/μ0 in rad/(s·T): the ratio the Thiele tensors divide by.</summary>
    public double GyromagneticRatioRadPerST => GyromagneticRatioMPerAS / PhysicalConstants.Mu0TmPerA;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first unphysical parameter.</summary>
    public Material Validated()
    {
        Require(SaturationMagnetizationAPerM > 0, "saturation magnetization Ms must be > 0");
        Require(ExchangeStiffnessJPerM > 0, "exchange stiffness A must be > 0");
        Require(AnisotropyJPerM3 > 0 && BarrierAnisotropyJPerM3 > AnisotropyJPerM3, "barrier anisotropy must exceed the track's (> 0)");
        Require(GilbertDamping > 0, "Gilbert damping α must be > 0");
        Require(GyromagneticRatioMPerAS > 0, "gyromagnetic ratio must be > 0");
        Require(MagneticLayerThicknessM > 0 && RepeatThicknessM >= MagneticLayerThicknessM, "layer thicknesses must be > 0");
        Require(HeavyMetalResistivityOhmM > 0, "heavy-metal resistivity must be > 0");
        return this;
    }

    private static void Require(bool ok, string message)
    {
        if (!ok) throw new ArgumentException($"material: {message}.");
    }
}
