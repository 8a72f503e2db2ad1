namespace EdgeSkyrmion.Edge.Stdp;

/// <summary>
/// SplitMix64 uniforms for Poisson inputs and stochastic STDP. A value type, one per image in evaluation: streams
/// are keyed by (seed, image index), so parallel evaluation gives the same spikes whatever the thread count, and a
/// draw costs a few integer operations with no allocation (seeded <see cref="Random"/> is several times slower).
/// </summary>
public struct SampleRandom
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private ulong _state;

    public SampleRandom(int seed, long stream)
    {
        _state = Mix(unchecked((ulong)seed * Golden) ^ Mix(unchecked((ulong)stream + Golden)));
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextUniform()
    {
        _state = unchecked(_state + Golden);
        return (Mix(_state) >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Trials before the next success of a Bernoulli(<paramref name="p"/>) sequence (geometric skip); p in (0, 1].</summary>
    public int NextSkip(double p)
    {
        if (p >= 1) return 0;
        double skip = Math.Floor(Math.Log(1 - NextUniform()) / Math.Log(1 - p));
        return skip > int.MaxValue ? int.MaxValue : (int)skip;
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
