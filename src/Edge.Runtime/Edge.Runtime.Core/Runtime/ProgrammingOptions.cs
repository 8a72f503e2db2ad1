namespace EdgeSkyrmion.Edge.Runtime;

/// <summary>Write-verify settings of the crossbar driver.</summary>
public sealed record ProgrammingOptions
{
    /// <summary>Pulses one device may take before it is reported failed (a device moves ≤ 2 states a pulse; 6 states apart needs ≥ 3).</summary>
    public int MaxPulsesPerDevice { get; init; } = 24;

    /// <summary>Reads averaged per verify: 3 reads put the read spread (SD 0.025 G0) at ~3.5 SD of half a state spacing.</summary>
    public int ReadsPerVerify { get; init; } = 3;

    public void Validate()
    {
        if (MaxPulsesPerDevice < 1) throw new ArgumentOutOfRangeException(nameof(MaxPulsesPerDevice), MaxPulsesPerDevice, "must be at least 1.");
        if (ReadsPerVerify < 1) throw new ArgumentOutOfRangeException(nameof(ReadsPerVerify), ReadsPerVerify, "must be at least 1.");
    }
}
