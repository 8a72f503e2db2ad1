namespace EdgeSkyrmion.Edge.Runtime;

/// <summary>Write-verify settings of the crossbar driver.</summary>
public sealed record ProgrammingOptions
{
    /// <summary>Pulses one device may take before it is reported failed (a device moves ≤ 2 states a pulse; 6 states apart needs ≥ 3).</summary>
    public int MaxPulsesPerDevice { get; init; } = 24;

    /// <summary>
    /// Reads averaged per verify. A read costs ≈ 0.24 fJ against ≈ 300 fJ a pulse, so reads are cheap: 16 reads
    /// shrink the worst state's read spread (SD 0.055 G0, n = 4 preset) to 0.014 G0, about 3 SD of half the
    /// narrowest state spacing, and the confirming second verify makes a pass by noise rarer still.
    /// </summary>
    public int ReadsPerVerify { get; init; } = 16;

    public void Validate()
    {
        if (MaxPulsesPerDevice < 1) throw new ArgumentOutOfRangeException(nameof(MaxPulsesPerDevice), MaxPulsesPerDevice, "must be at least 1.");
        if (ReadsPerVerify < 1) throw new ArgumentOutOfRangeException(nameof(ReadsPerVerify), ReadsPerVerify, "must be at least 1.");
    }
}
