namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// The damping-like spin–orbit torque of the CPP spin current (polarised along y) as a force along ±x. The force per unit
/// current density per n is data (<see cref="SkyrmionParameters.DriveNPerAPerM2"/>); here the Thiele integral it comes from.
/// With B_DL = ħ·θ_SH·J/(2e·Ms·t) the force on one driven layer is Ms·t·B_DL·∫(m_x∂_x m_z − m_z∂_x m_x)dA, and for a thin-walled
/// Néel skyrmion the integral is π²R: F = ħ·θ_SH·J·π²R/(2e) (t cancels). The paper applies the current in the outer layers
/// only: min(n, 2) driven layers, while G and 𝔇 grow with all n.
/// </summary>
public static class SpinOrbitDrive
{
    /// <summary>The thin-wall force per unit current density on one driven layer, N per A/m².</summary>
    public static double ThinWallForcePerLayer(double spinHallAngle, double radiusM) =>
        PhysicalConstants.HbarJS * spinHallAngle * Math.PI * Math.PI * radiusM / (2 * PhysicalConstants.ElementaryChargeC);

    public static int DrivenLayers(int multilayerRepeats) => Math.Min(multilayerRepeats, 2);

    /// <summary>The drive force along x for a (signed) current density; +x pulses are LTP.</summary>
    public static double ForceX(in ParticleParameters p, double currentDensityAPerM2) => p.DriveNPerAPerM2 * currentDensityAPerM2;
}
