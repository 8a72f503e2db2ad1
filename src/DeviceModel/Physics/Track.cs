namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// The nanotrack, x along its length (pulses along ±x), y across, origin at a corner. Paper: 800 nm × 220 nm.
/// The pre-synapse region lies left of the barrier, the post-synapse region right of it.
/// </summary>
public sealed record Track
{
    public double LengthM { get; init; } = 800e-9;

    public double WidthM { get; init; } = 220e-9;

    /// <summary>Length (along x) of the MTJ read area at the post-synapse end of the track, m. 140 nm × 220 nm
    /// = 30,800 nm²: one R = 12.5 nm skyrmion covers 1.6 % of it, ≈ 0.045 G0 at TMR 280 % (paper Fig. 4c, 14 states to 1.6 G0).</summary>
    public double ReadAreaLengthM { get; init; } = 140e-9;

    public double ReadAreaStartM => LengthM - ReadAreaLengthM;

    public double ReadAreaM2 => ReadAreaLengthM * WidthM;

    public Track Validated()
    {
        if (!(LengthM > 0)) throw new ArgumentException("track: length must be > 0.");
        if (!(WidthM > 0)) throw new ArgumentException("track: width must be > 0.");
        if (!(ReadAreaLengthM > 0 && ReadAreaLengthM < LengthM / 2)) throw new ArgumentException("track: read-area length must be > 0 and within the post-synapse half.");
        return this;
    }
}
