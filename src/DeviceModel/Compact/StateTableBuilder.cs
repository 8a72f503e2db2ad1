using EdgeSkyrmion.DeviceModel.Protocol;

namespace EdgeSkyrmion.DeviceModel.Compact;

/// <summary>
/// Turns the gap reads of a measured LTP/LTD cycle into the compact model's states and step probabilities:
/// <list type="number">
/// <item>Group every (device, gap) read by the number of skyrmions in the read area; per count, the mean
/// conductance and the read SD (root-mean of the within-gap variances: thermal motion and breathing).</item>
/// <item>Keep, from the lowest count up, each count whose mean exceeds the last kept one's by more than the sum of
/// their SDs: those are the distinguishable states.</item>
/// <item>Map each gap to the state nearest its mean; count, per starting state, how many states one LTP (LTD) pulse
/// moved the device (clipped to 0…2). A row with no observation takes the pooled distribution of its direction
/// (the top state under LTP and the bottom one under LTD cannot move: [1, 0, 0]).</item>
/// </list>
/// </summary>
public static class StateTableBuilder
{
    public sealed record Levels(double[] MeansG0, double[] SdsG0, int[] Counts, double DeviceToDeviceSdG0);

    /// <summary>The distinguishable levels of the reads in <paramref name="gaps"/>.</summary>
    public static Levels DistinguishableLevels(IReadOnlyList<GapReading> gaps)
    {
        var byCount = new SortedDictionary<int, (double Sum, double Variance, int N, List<double> Means)>();
        foreach (GapReading gap in gaps)
            for (int d = 0; d < gap.MeanG0.Length; d++)
            {
                int c = gap.SkyrmionsInReadArea[d];
                var entry = byCount.TryGetValue(c, out var e) ? e : (Sum: 0.0, Variance: 0.0, N: 0, Means: new List<double>());
                entry.Means.Add(gap.MeanG0[d]);
                byCount[c] = (entry.Sum + gap.MeanG0[d], entry.Variance + gap.SdG0[d] * gap.SdG0[d], entry.N + 1, entry.Means);
            }
        var means = new List<double>();
        var sds = new List<double>();
        var counts = new List<int>();
        double spread = 0;
        int spreadN = 0;
        foreach ((int count, var e) in byCount)
        {
            double mean = e.Sum / e.N, sd = Math.Sqrt(e.Variance / e.N);
            foreach (double m in e.Means) spread += (m - mean) * (m - mean);
            spreadN += e.N;
            if (means.Count == 0 || mean - means[^1] > sd + sds[^1])
            {
                means.Add(mean);
                sds.Add(sd);
                counts.Add(count);
            }
        }
        return new Levels([.. means], [.. sds], [.. counts], spreadN > 1 ? Math.Sqrt(spread / spreadN) : 0);
    }

    /// <summary>
    /// Distinguishable states along each device's own modulation curve (the paper's count for Figs. 2d and 3f):
    /// walking the reads of <paramref name="curve"/> in pulse order, a read is a new state when its mean exceeds the last
    /// counted state's mean by more than the sum of their within-gap SDs. Unlike <see cref="DistinguishableLevels"/>,
    /// which pools every device and count, this says how many steps one device's pulse train can actually resolve.
    /// </summary>
    public static int[] StaircaseStates(IReadOnlyList<GapReading> curve) =>
        PerDevice(curve, reads => reads);

    /// <summary>
    /// Distinguishable states among all the reads of each device's LTP/LTD cycle, in conductance order: the paper's
    /// count for Fig. 2c ("with the forward and reverse direction of current, 11 distinct synaptic states"), where the
    /// LTD half can land between the levels the LTP half stepped over.
    /// </summary>
    public static int[] CycleStates(IReadOnlyList<GapReading> cycle) =>
        PerDevice(cycle, reads => reads.OrderBy(r => r.Mean));

    private static int[] PerDevice(IReadOnlyList<GapReading> reads, Func<IEnumerable<(double Mean, double Sd)>, IEnumerable<(double Mean, double Sd)>> order)
    {
        var states = new int[reads[0].MeanG0.Length];
        for (int d = 0; d < states.Length; d++)
        {
            int count = 0;
            (double Mean, double Sd) last = default;
            foreach ((double Mean, double Sd) read in order(reads.Select(g => (g.MeanG0[d], g.SdG0[d]))))
                if (count == 0 || read.Mean - last.Mean > read.Sd + last.Sd)
                {
                    count++;
                    last = read;
                }
            states[d] = count;
        }
        return states;
    }

    /// <summary>The median of per-device counts (the upper middle one for an even count).</summary>
    public static int Median(int[] values)
    {
        int[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }

    /// <summary>
    /// Step probabilities from consecutive gaps: <paramref name="ltp"/> and <paramref name="ltd"/> each start with the
    /// read before the first pulse of that direction.
    /// </summary>
    public static double[][] StepProbabilities(StateTable levelsOnly, IReadOnlyList<GapReading> pulses, PulseDirection direction)
    {
        int states = levelsOnly.States;
        var tally = new double[states][];
        for (int s = 0; s < states; s++) tally[s] = new double[3];
        var pooled = new double[3];
        for (int k = 1; k < pulses.Count; k++)
            for (int d = 0; d < pulses[k].MeanG0.Length; d++)
            {
                int from = CompactSynapse.NearestState(levelsOnly, pulses[k - 1].MeanG0[d]);
                int to = CompactSynapse.NearestState(levelsOnly, pulses[k].MeanG0[d]);
                int steps = Math.Clamp((to - from) * (int)direction, 0, 2);
                tally[from][steps]++;
                pooled[steps]++;
            }
        var rows = new double[states][];
        for (int s = 0; s < states; s++)
        {
            bool stuck = direction == PulseDirection.Ltp ? s == states - 1 : s == 0;
            double[] source = stuck ? [1, 0, 0] : tally[s].Sum() > 0 ? tally[s] : pooled.Sum() > 0 ? pooled : [1, 0, 0];
            double total = source.Sum();
            rows[s] = [source[0] / total, source[1] / total, source[2] / total];
        }
        return rows;
    }

    /// <summary>
    /// Fraction of devices in which the pulse between <paramref name="before"/> and <paramref name="after"/> carried
    /// at least one skyrmion around the barrier: the programming that an equilibrated device fails at.
    /// </summary>
    public static double CrossedFraction(GapReading before, GapReading after)
    {
        int moved = 0;
        for (int d = 0; d < before.MeanG0.Length; d++)
            if (after.SkyrmionsPastBarrier[d] > before.SkyrmionsPastBarrier[d]) moved++;
        return (double)moved / before.MeanG0.Length;
    }
}
