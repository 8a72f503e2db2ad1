namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>CODATA constants, SI.</summary>
public static class PhysicalConstants
{
    /// <summary>Reduced Planck constant ħ, J·s.</summary>
    public const double HbarJS = 1.054571817e-34;

    /// <summary>Elementary charge e, C.</summary>
    public const double ElementaryChargeC = 1.602176634e-19;

    /// <summary>Boltzmann constant k_B, J/K.</summary>
    public const double BoltzmannJPerK = 1.380649e-23;

    /// <summary>Vacuum permeability μ0, T·m/A.</summary>
    public const double Mu0TmPerA = 1.25663706212e-6;
}
