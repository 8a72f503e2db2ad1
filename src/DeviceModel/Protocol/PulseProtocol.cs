namespace EdgeSkyrmion.DeviceModel.Protocol;

/// <summary>
/// The paper's programming protocol: 2 ns pulses of 30 MA/cm² with 5 ns gaps, 10 in +x (LTP) then 10 in −x (LTD),
/// the first LTP/LTD cycle as calibration; the 25 ns, 5 MA/cm² initialization pulse after a long idle. Reads are
/// taken through each gap (after a settling time) so their spread is the thermal motion and breathing of the skyrmions.
/// </summary>
public sealed record PulseProtocol
{
    /// <summary>Programming current density, A/m² (paper: 30 MA/cm²).</summary>
    public double CurrentDensityAPerM2 { get; init; } = 30e6 * 1e4;

    /// <summary>Programming pulse duration, s (paper: 2 ns).</summary>
    public double PulseDurationS { get; init; } = 2e-9;

    /// <summary>Gap between pulses, s (paper: 5 ns).</summary>
    public double GapS { get; init; } = 5e-9;

    /// <summary>Pulses per direction in one LTP/LTD cycle (paper: 10).</summary>
    public int PulsesPerDirection { get; init; } = 10;

    /// <summary>Initialization pulse current density, A/m² (paper: 5 MA/cm²).</summary>
    public double InitializationCurrentDensityAPerM2 { get; init; } = 5e6 * 1e4;

    /// <summary>Initialization pulse duration, s (paper: 25 ns).</summary>
    public double InitializationDurationS { get; init; } = 25e-9;

    /// <summary>Relaxation after nucleation, before the first pulse, s.</summary>
    public double NucleationRelaxationS { get; init; } = 20e-9;

    /// <summary>
    /// Idle time after which the device counts as equilibrated ("cold"), s: in 1 μs the post-synapse skyrmions
    /// spread out from under the MTJ and the pre-synapse ones away from the gaps (thermal diffusion ≈ 60 nm at 300 K).
    /// </summary>
    public double EquilibrationS { get; init; } = 1e-6;

    /// <summary>Time after a pulse before reads start (the post-pulse drift settles), s.</summary>
    public double ReadSettleS { get; init; } = 1e-9;

    /// <summary>Interval between reads within a gap, s: 40 reads per 5 ns gap.</summary>
    public double ReadIntervalS { get; init; } = 0.1e-9;

    public PulseProtocol Validated()
    {
        if (!(CurrentDensityAPerM2 > 0 && PulseDurationS > 0 && GapS > ReadSettleS && ReadIntervalS > 0 && PulsesPerDirection >= 1))
            throw new ArgumentException("protocol: current density, pulse duration, read interval must be > 0, the gap longer than the read settling time, ≥ 1 pulse per direction.");
        if (!(InitializationCurrentDensityAPerM2 >= 0 && InitializationDurationS >= 0 && EquilibrationS > 0 && NucleationRelaxationS >= 0))
            throw new ArgumentException("protocol: initialization pulse and idle times must be ≥ 0 (equilibration > 0).");
        return this;
    }
}
