using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// The micromagnetic material: one Ms, A, D, α and γ for every magnetic cell, and the uniaxial anisotropy Ku by region
/// (the barrier's 860 kJ/m³ against the track's 717). Defaults are the paper's Appendix A, read from the particle
/// model's <see cref="Material"/> so each value is written once.
/// </summary>
public sealed record MagnetMaterial
{
    private static readonly Material Paper = new();

    /// <summary>Saturation magnetization Ms, A/m.</summary>
    public double SaturationMagnetizationAPerM { get; init; } = Paper.SaturationMagnetizationAPerM;

    /// <summary>Exchange stiffness A, J/m.</summary>
    public double ExchangeStiffnessJPerM { get; init; } = Paper.ExchangeStiffnessJPerM;

    /// <summary>Interfacial DMI constant D, J/m² (energy density D[m_z ∇·m − (m·∇)m_z], mumax3's Dind).</summary>
    public double InterfacialDmiJPerM2 { get; init; } = Paper.DmiJPerM2;

    /// <summary>Gilbert damping α, dimensionless.</summary>
    public double GilbertDamping { get; init; } = Paper.GilbertDamping;

    /// <summary>Gyromagnetic ratio γ, rad/(s·T) (the paper's γ_LL = 2.211e5 m/(A·s) divided by μ0).</summary>
    public double GyromagneticRatioRadPerST { get; init; } = Paper.GyromagneticRatioRadPerST;

    /// <summary>Uniaxial anisotropy Ku of each region, J/m³, indexed by region number (region 0 is empty space and unused).</summary>
    public IReadOnlyList<double> AnisotropyJPerM3ByRegion { get; init; } = [0, Paper.AnisotropyJPerM3, Paper.BarrierAnisotropyJPerM3];

    /// <summary>Anisotropy easy axis (unit vector), out of plane by default.</summary>
    public (double X, double Y, double Z) AnisotropyAxis { get; init; } = (0, 0, 1);

    /// <summary>Exchange length l_ex = sqrt(2A/(μ0 Ms²)), m.</summary>
    public double ExchangeLengthM => Math.Sqrt(2 * ExchangeStiffnessJPerM / (PhysicalConstants.Mu0TmPerA * SaturationMagnetizationAPerM * SaturationMagnetizationAPerM));

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the first unphysical parameter; returns warnings (cells larger than the
    /// exchange length resolve neither walls nor skyrmions).
    /// </summary>
    public IReadOnlyList<string> Validate(Mesh mesh, int regions)
    {
        Require(SaturationMagnetizationAPerM > 0, $"saturation magnetization Ms must be > 0 (got {SaturationMagnetizationAPerM} A/m)");
        Require(ExchangeStiffnessJPerM >= 0, $"exchange stiffness A must be ≥ 0 (got {ExchangeStiffnessJPerM} J/m)");
        Require(InterfacialDmiJPerM2 == 0 || ExchangeStiffnessJPerM > 0, "DMI needs A > 0 (its boundary condition divides by 2A)");
        Require(GilbertDamping >= 0 && double.IsFinite(GilbertDamping), $"Gilbert damping α must be ≥ 0 (got {GilbertDamping})");
        Require(GyromagneticRatioRadPerST > 0, "gyromagnetic ratio must be > 0");
        Require(double.IsFinite(InterfacialDmiJPerM2), "DMI must be finite");
        double axis = Math.Sqrt(AnisotropyAxis.X * AnisotropyAxis.X + AnisotropyAxis.Y * AnisotropyAxis.Y + AnisotropyAxis.Z * AnisotropyAxis.Z);
        Require(Math.Abs(axis - 1) < 1e-9, "anisotropy axis must be a unit vector");
        Require(AnisotropyJPerM3ByRegion.Count >= regions, $"Ku is given for {AnisotropyJPerM3ByRegion.Count} regions, the geometry uses {regions}");
        Require(AnisotropyJPerM3ByRegion.All(double.IsFinite), "every Ku must be finite");
        var warnings = new List<string>();
        double lex = ExchangeLengthM;
        double largest = Math.Max(mesh.CellXM, Math.Max(mesh.CellYM, mesh.CellZM));
        if (largest > lex)
            warnings.Add($"cell size {largest * 1e9:F2} nm exceeds the exchange length {lex * 1e9:F2} nm: walls and skyrmions are under-resolved.");
        return warnings;
    }

    private static void Require(bool ok, string message)
    {
        if (!ok) throw new ArgumentException($"micromagnetic material: {message}.");
    }
}
