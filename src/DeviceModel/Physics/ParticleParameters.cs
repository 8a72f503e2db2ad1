namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// Everything one integration step needs, precomputed from <see cref="DeviceConfiguration"/> in SI units: a flat
/// unmanaged struct so the same values reach the plain C# path and the ILGPU kernel.
/// </summary>
public readonly record struct ParticleParameters
{
    /// <summary>Skyrmions per device.</summary>
    public int Count { get; init; }
    public double TrackLengthM { get; init; }
    public double TrackWidthM { get; init; }
    public double BarrierCenterXM { get; init; }
    public double BarrierCenterYM { get; init; }
    public double BarrierHalfLengthM { get; init; }
    public double BarrierHalfWidthM { get; init; }
    public double BarrierCornerRadiusM { get; init; }

    /// <summary>Nominal skyrmion radius R, m.</summary>
    public double RadiusM { get; init; }

    /// <summary>|G| = 4π|Q|·Ms·t/γ_e, kg/s.</summary>
    public double GyroKgPerS { get; init; }

    /// <summary>α·𝔇 = α·4π𝒟·Ms·t/γ_e, kg/s.</summary>
    public double DissipationKgPerS { get; init; }

    /// <summary>Spin-orbit drive force per unit current density, N per A/m² (sign of the current gives the direction).</summary>
    public double DriveNPerAPerM2 { get; init; }

    public double RepulsionStrengthN { get; init; }
    public double RepulsionRangeM { get; init; }
    public double EdgeStrengthN { get; init; }
    public double EdgeRangeM { get; init; }
    public double BarrierStrengthN { get; init; }
    public double BarrierRangeM { get; init; }

    /// <summary>Centre-to-edge distance at which a skyrmion is annihilated, m; 0: never (<see cref="EdgeAnnihilation"/>).</summary>
    public double EdgeAnnihilationM { get; init; }

    /// <summary>SD of each Cartesian component of the thermal force over one step, sqrt(2·k_B·T·α𝔇/Δt), N.</summary>
    public double ThermalForceSdN { get; init; }

    /// <summary>Breathing-mode (radius) relaxation over one step, exp(−Δt/τ_R).</summary>
    public double BreathingDecay { get; init; }

    /// <summary>Radius kick per step, SD_R(T)·sqrt(1 − decay²), m: exact Ornstein–Uhlenbeck update of the breathing mode.</summary>
    public double BreathingKickM { get; init; }

    public double TimeStepS { get; init; }

    /// <summary>RNG seed; with (device, step, particle) it names every random number (counter-based).</summary>
    public ulong Seed { get; init; }
}
