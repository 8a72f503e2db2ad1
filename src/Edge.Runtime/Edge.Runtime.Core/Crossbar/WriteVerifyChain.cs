using System.Runtime.CompilerServices;
using EdgeSkyrmion.DeviceModel.Compact;

namespace EdgeSkyrmion.Edge.Crossbar;

/// <summary>
/// Expected programming pulses of write-verify between any two states, from the state table's step probabilities:
/// write-verify pulses toward the target from wherever the device is, so a pulse that stalls (0 steps), or one that
/// overshoots by two states and has to be pulsed back, costs more pulses than a state step's mean. With reads taken
/// as exact, the pulses to reach t from s are the absorption time of the Markov chain the procedure drives:
/// E[t] = 0, E[s] = 1 + Σ_k P(s, k)·E[s ± k] (LTP rows below the target, LTD rows above), solved by Gauss–Seidel.
/// Computed once per table.
/// </summary>
public static class WriteVerifyChain
{
    private static readonly ConditionalWeakTable<StateTable, double[,]> Cache = new();

    /// <summary>Expected pulses from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static double ExpectedPulses(StateTable table, int from, int to) => Cache.GetValue(table, Solve)[from, to];

    private static double[,] Solve(StateTable table)
    {
        int n = table.States;
        var expected = new double[n, n];
        var e = new double[n];
        for (int target = 0; target < n; target++)
        {
            Array.Clear(e);
            for (int sweep = 0; sweep < 10_000; sweep++)
            {
                double change = 0;
                for (int s = 0; s < n; s++)
                {
                    if (s == target) continue;
                    bool up = target > s;
                    double[] row = up ? table.LtpStepProbabilities[s] : table.LtdStepProbabilities[s];
                    double stay = 0, moved = 0;
                    for (int k = 0; k < 3; k++)
                    {
                        int next = Math.Clamp(s + (up ? k : -k), 0, n - 1);
                        if (next == s) stay += row[k];
                        else moved += row[k] * e[next];
                    }
                    // A state whose pulse never moves it toward the target is a dead end: write-verify gives up there.
                    double value = stay >= 1 ? double.PositiveInfinity : (1 + moved) / (1 - stay);
                    change = Math.Max(change, Math.Abs(value - e[s]));
                    e[s] = value;
                }
                if (change < 1e-12 || double.IsInfinity(change)) break;
            }
            for (int s = 0; s < n; s++) expected[s, target] = e[s];
        }
        return expected;
    }
}
