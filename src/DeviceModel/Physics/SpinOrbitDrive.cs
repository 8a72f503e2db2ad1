namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// The damping-like spin–orbit torque of the CPP spin current (polarised along y) as a force along ±x:
/// B_DL = ħ·θ_SH·J/(2e·Ms·t) and F = Ms·t·B_DL·π²R/4 = ħ·θ_SH·J·π²R/(8e) per driven layer (t cancels).
/// The paper applies the current in the outer layers only: min(n, 2) driven layers, while G and 𝔇 grow with all n.
/// </summary>
public static class SpinOrbitDrive
{
    /// <summary>Force per unit current density, N per A/m², on a skyrmion of radius <paramref name="radiusM"/>.</summary>
    public static double ForcePerCurrentDensity(double spinHallAngle, double radiusM, int multilayerRepeats) =>
        DrivenLayers(multilayerRepeats) * PhysicalConstants.HbarJS * spinHallAngle * Math.PI * Math.PI * radiusM / (8 * PhysicalConstants.ElementaryChargeC);

    public static int DrivenLayers(int multilayerRepeats) => Math.Min(multilayerRepeats, 2);

    /// <summary>The drive force along x for a (signed) current density; +x pulses are LTP.</summary>
    public static double ForceX(in ParticleParameters p, double currentDensityAPerM2) => p.DriveNPerAPerM2 * currentDensityAPerM2;
}
