using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Device;

/// <summary>
/// The [Pt/Co/Ir]ₙ stack as one effective layer n·pitch thick (Woo et al., Nat. Mater. 15, 501 (2016); Lemesh &amp; Beach,
/// PRB 95, 174415 (2017)): Ms, A, D scaled by the magnetic fill fraction f = t_Co/pitch, so each cell carries the stack's
/// moment and its exchange and DMI energies; Ku chosen so the uniform state keeps the stack's effective anisotropy
/// f·(Ku − μ0Ms²/2) (naive f·Ku would overcount it: the effective layer's demag is f² μ0Ms²/2, the layered stack's f·μ0Ms²/2).
/// Why: one layer of cells instead of n costs the same as n = 1, where the layered n = 4 stack costs ≈ 8× (its demag grid).
/// The spin–orbit torque acts through an effective thickness so the total drive equals that of the driven Co layers.
/// </summary>
public sealed record EffectiveMedium(int MultilayerRepeats, Material Paper)
{
    /// <summary>Driven Co layers: the paper drives the outer layers only (one for n = 1).</summary>
    public int DrivenLayers => Math.Min(MultilayerRepeats, 2);

    /// <summary>Magnetic fill fraction f = t_Co / pitch; 1 for n = 1, which is simulated as the Co layer itself.</summary>
    public double FillFraction => MultilayerRepeats == 1 ? 1 : Paper.MagneticLayerThicknessM / Paper.RepeatThicknessM;

    /// <summary>Thickness of the effective layer, m: n repeats (n = 1: the Co layer).</summary>
    public double ThicknessM => MultilayerRepeats == 1 ? Paper.MagneticLayerThicknessM : MultilayerRepeats * Paper.RepeatThicknessM;

    /// <summary>The effective material; region 1 the track (Ku 717 kJ/m³), region 2 the barrier (860 kJ/m³).</summary>
    public MagnetMaterial Material
    {
        get
        {
            double f = FillFraction, demag = PhysicalConstants.Mu0TmPerA * Paper.SaturationMagnetizationAPerM * Paper.SaturationMagnetizationAPerM / 2;
            double Ku(double layerKu) => f * layerKu - (f - f * f) * demag;
            return new MagnetMaterial
            {
                SaturationMagnetizationAPerM = f * Paper.SaturationMagnetizationAPerM,
                ExchangeStiffnessJPerM = f * Paper.ExchangeStiffnessJPerM,
                InterfacialDmiJPerM2 = f * Paper.DmiJPerM2,
                AnisotropyJPerM3ByRegion = [0, Ku(Paper.AnisotropyJPerM3), Ku(Paper.BarrierAnisotropyJPerM3)],
            };
        }
    }

    /// <summary>
    /// Thickness the SOT field B_DL = ħθJ/(2e·Ms_eff·t) is computed with, m: Ms_eff·t = Ms·t_Co·(driven layers), so the
    /// torque on the effective layer integrates to that on the driven Co layers.
    /// </summary>
    public double SpinOrbitThicknessM => DrivenLayers * Paper.MagneticLayerThicknessM / FillFraction;
}
