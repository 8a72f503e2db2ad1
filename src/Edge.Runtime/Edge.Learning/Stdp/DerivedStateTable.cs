using EdgeSkyrmion.DeviceModel.Compact;

namespace EdgeSkyrmion.Edge.Stdp;

/// <summary>
/// An N-state variant of a preset for the accuracy-vs-states sweep (paper Fig. 6c): N evenly spaced conductance
/// levels over the preset's range (lowest to highest state mean), with the preset's noise and step statistics.
/// State 0 keeps the preset's background read spread, every other state the preset's first skyrmionic spread;
/// interior states take the step probabilities of the preset's middle state, the state below the top (above the
/// bottom) the preset's "one step at most" row, and the top (bottom) cannot move further up (down). Energies,
/// device-to-device spread and cold-start behaviour are the preset's. N equal to the preset's count returns the
/// preset itself.
/// </summary>
public static class DerivedStateTable
{
    public static StateTable For(StateTable preset, int states)
    {
        if (states < 2) throw new ArgumentException($"--states {states}: a synapse needs at least 2 states.");
        if (states > byte.MaxValue) throw new ArgumentException($"--states {states}: at most {byte.MaxValue} device states are modelled.");
        if (states == preset.States) return preset;
        int n = preset.States;
        double low = preset.StateMeansG0[0], range = preset.RangeG0;
        double[] means = new double[states];
        double[] sds = new double[states];
        double[][] ltp = new double[states][];
        double[][] ltd = new double[states][];
        for (int s = 0; s < states; s++)
        {
            means[s] = low + range * s / (states - 1);
            sds[s] = s == 0 ? preset.StateSdsG0[0] : preset.StateSdsG0[Math.Min(1, n - 1)];
            ltp[s] = (double[])(s == states - 1 ? preset.LtpStepProbabilities[n - 1]
                : s == states - 2 ? preset.LtpStepProbabilities[n - 2]
                : preset.LtpStepProbabilities[n / 2]).Clone();
            ltd[s] = (double[])(s == 0 ? preset.LtdStepProbabilities[0]
                : s == 1 ? preset.LtdStepProbabilities[1]
                : preset.LtdStepProbabilities[n / 2]).Clone();
        }
        return (preset with
        {
            Name = $"{preset.Name}-{states}states",
            Source = $"derived from {preset.Name}: {states} evenly spaced levels over {low:0.###}–{low + range:0.###} G0 with its noise and step statistics (Stdp/DerivedStateTable).",
            StateMeansG0 = means,
            StateSdsG0 = sds,
            LtpStepProbabilities = ltp,
            LtdStepProbabilities = ltd,
            Drift = null, // fitted per state of the preset; these states were never idled
        }).Validated();
    }
}
