using EdgeSkyrmion.DeviceModel.Compact;

namespace EdgeSkyrmion.Cloud.Conversion;

/// <summary>
/// The L = 2X+1 signed weight levels a pair of devices (W⁺, W⁻) can hold, in G0: zero (both devices in the
/// background state 0), X positive levels (W⁺ in state sₖ, W⁻ in state 0) and their mirrors (W⁺ in 0, W⁻ in sₖ),
/// so level k is G(sₖ) − G(0). Either evenly spaced synthetic states ("uniform") or the states of a StateTable
/// preset, whose spacing need not be even. A preset with S states gives at most 2(S−1)+1 levels; fewer levels use
/// an evenly spread subset of its skyrmionic states that always keeps the top one, sₖ = round(k(S−1)/X).
/// </summary>
public sealed class SignedLevels
{
    public const string UniformName = "uniform";

    /// <summary>Range of the synthetic uniform states above the background, G0 (the paper's 1.0–1.6 G0).</summary>
    public const double UniformRangeG0 = 0.6;

    /// <summary>Levels L = 2X+1.</summary>
    public int Levels { get; }
    public string PresetName { get; }

    /// <summary>Every state of the device (index = state byte in the image), G0, ascending; state 0 is the background.</summary>
    public double[] StateMeansG0 { get; }

    /// <summary>The X states that hold the positive levels, ascending.</summary>
    public byte[] LevelStates { get; }

    /// <summary>Magnitude of each positive level, G(sₖ) − G(0), G0, ascending.</summary>
    public double[] MagnitudesG0 { get; }

    public double TopG0 => MagnitudesG0.Length == 0 ? 0 : MagnitudesG0[^1];

    private SignedLevels(int levels, string presetName, double[] stateMeansG0, byte[] levelStates)
    {
        Levels = levels;
        PresetName = presetName;
        StateMeansG0 = stateMeansG0;
        LevelStates = levelStates;
        MagnitudesG0 = [.. levelStates.Select(s => stateMeansG0[s] - stateMeansG0[0])];
    }

    /// <summary>Throws unless L is odd and ≥ 1 (L = 2X+1).</summary>
    public static int CheckLevels(int levels)
    {
        if (levels < 1 || levels % 2 == 0)
            throw new ArgumentException($"--levels {levels}: the number of signed levels must be odd and at least 1 (L = 2X+1, e.g. 13 = 6 positive, 6 negative, zero).");
        if ((levels - 1) / 2 >= Edge.Snn.ModelImageFile.MaxStates)
            throw new ArgumentException($"--levels {levels}: at most {2 * (Edge.Snn.ModelImageFile.MaxStates - 1) + 1} levels fit a one-byte device state.");
        return levels;
    }

    /// <summary>X + 1 evenly spaced states over 1.0–1.6 G0.</summary>
    public static SignedLevels Uniform(int levels)
    {
        int x = (CheckLevels(levels) - 1) / 2;
        double[] means = [.. Enumerable.Range(0, x + 1).Select(k => 1.0 + (x == 0 ? 0 : UniformRangeG0 * k / x))];
        return new SignedLevels(levels, UniformName, means, [.. Enumerable.Range(1, x).Select(k => (byte)k)]);
    }

    /// <summary>The levels of a preset's states (see the class comment for L below the preset's maximum).</summary>
    public static SignedLevels FromPreset(StateTable table, int levels)
    {
        int x = (CheckLevels(levels) - 1) / 2;
        int top = table.States - 1;
        if (x > top)
            throw new ArgumentException($"--levels {levels}: preset {table.Name} has {table.States} states, which give at most {2 * top + 1} signed levels.");
        byte[] states = [.. Enumerable.Range(1, x).Select(k => (byte)Math.Round(k * (double)top / x, MidpointRounding.AwayFromZero))];
        return new SignedLevels(levels, table.Name, [.. table.StateMeansG0], states);
    }

    /// <summary>The device pair nearest to <paramref name="valueG0"/>; beyond the top level it clips to the top.</summary>
    public (byte Plus, byte Minus) Encode(double valueG0)
    {
        double magnitude = Math.Abs(valueG0);
        int best = -1;
        double bestError = magnitude;
        for (int k = 0; k < MagnitudesG0.Length; k++)
        {
            double error = Math.Abs(magnitude - MagnitudesG0[k]);
            if (error < bestError)
            {
                bestError = error;
                best = k;
            }
        }
        if (best < 0) return (0, 0);
        return valueG0 > 0 ? (LevelStates[best], (byte)0) : ((byte)0, LevelStates[best]);
    }
}
