namespace EdgeSkyrmion.Edge.Crossbar;

/// <summary>What write-verify did to one device: whether the target was read back, and what it spent doing so.</summary>
public readonly record struct ProgramOutcome(bool Verified, int Pulses, int InitializationPulses, int Reads, int FinalReadState);
