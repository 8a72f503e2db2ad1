namespace EdgeSkyrmion.Edge.Snn;

/// <summary>
/// The simulation clock and neuron constants of the converted SNN (paper App. B): 1 ms steps, LIF leak time
/// constant 50 ms, Poisson input up to 1 kHz.
/// </summary>
public sealed record SnnTiming(double TimestepS = 1e-3, double MembraneTimeConstantS = 50e-3, double MaxInputRateHz = 1000)
{
    public static readonly SnnTiming Paper = new();

    /// <summary>Factor the membrane potential keeps per step, exp(−dt/τ), as the float every implementation uses.</summary>
    public float LeakFactor => (float)Math.Exp(-TimestepS / MembraneTimeConstantS);

    public SnnTiming Validated()
    {
        if (!(TimestepS > 0) || !(MembraneTimeConstantS > 0) || !(MaxInputRateHz > 0))
            throw new ArgumentException($"SNN timing needs positive dt, τ and max rate (got {TimestepS} s, {MembraneTimeConstantS} s, {MaxInputRateHz} Hz).");
        return this;
    }
}
