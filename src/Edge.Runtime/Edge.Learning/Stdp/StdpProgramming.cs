namespace EdgeSkyrmion.Edge.Stdp;

/// <summary>How one discrete STDP event moves a skyrmion synapse to its adjacent state.</summary>
public enum StdpProgramming
{
    /// <summary>
    /// Initialization pulse plus one programming pulse, open loop: ≈ 404 fJ per event with the n = 4 preset, but the
    /// device moves 0, 1 or 2 states by the preset's step probabilities (10 % / 75 % / 15 % in the interior).
    /// </summary>
    Pulse,

    /// <summary>
    /// Initialization pulse, then write-verify to the adjacent state (read, pulse, read … at most
    /// <see cref="DeviceSynapses.MaxVerifyPulses"/> pulses): lands exactly one state away, at the cost of the verify
    /// reads and the corrective pulses after a two-state jump.
    /// </summary>
    WriteVerify,
}
