using System.Diagnostics;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Data;

namespace EdgeSkyrmion.Edge.Runtime;

/// <summary>
/// Refresh every T seconds rather than once a day, for a drift law whose states empty in minutes: the worst accuracy an
/// inference meets and what a day of refreshes costs. After a full refresh the crossbar holds its image again, so every
/// interval repeats the same cycle in distribution and one cycle per hour of the day measures it: from the refreshed
/// crossbar, drift for T at that hour's skin temperature, then a refresh session with no budget cap (every device
/// re-verified, those that left re-programmed by write-verify). A day costs the sum over its hours of one session's energy
/// times the 3600 / T sessions in the hour. The worst inference is the one just before a refresh at the day's warmest hour
/// (fastest drift): that crossbar, drifted for T, classifies the test images with read noise.
/// </summary>
public static class RefreshIntervalStudy
{
    public sealed record Options(int Images = 300, int Timesteps = 100, int InferencesPerDay = 1000, ulong Seed = 1, SkinTemperatureTrace? Trace = null);

    /// <summary>One interval. Energies are per day over the trace's first day; the per-session figures are the warmest hour's.</summary>
    public sealed record Interval(double IntervalS, double WorstAccuracy, double WarmestK, int OffTargetBeforeRefresh, double SessionsPerDay,
        double RefreshEnergyNjPerDay, double ReadEnergyNjPerDay, double PulseEnergyNjPerDay, int ReprogrammedPerSession, int FailedPerSession);

    /// <summary><see cref="Result.RefreshedAccuracy"/>: the crossbar just after a full refresh, at hour 0 (the ceiling every interval drifts from).</summary>
    public sealed record Result(double RefreshedAccuracy, double InferenceEnergyNjPerDay, int InferencesPerDay, int Images, int Devices, string Shape,
        Interval[] Intervals, double WallSeconds);

    /// <summary>The longest interval studied, s: refreshing less often than daily is <see cref="LifetimeSimulation"/>'s daily budget.</summary>
    public const double MaxIntervalS = 86_400;

    public static Result Run(EdgeDevice device, IDigitSource test, IReadOnlyList<double> intervalsS, Options o, Action<double>? progress = null)
    {
        if (intervalsS.Count == 0) throw new ArgumentException("give at least one refresh interval.");
        foreach (double t in intervalsS)
            if (!(t > 0 && t <= MaxIntervalS)) throw new ArgumentException($"a refresh interval must be > 0 and ≤ {MaxIntervalS} s (got {t} s).");
        if (o.InferencesPerDay < 0) throw new ArgumentException($"inferences per day must be ≥ 0 (got {o.InferencesPerDay}).");
        var bench = new WristBench(device, test, o.Images, o.Timesteps, o.Seed, o.Trace);
        var clock = Stopwatch.StartNew();
        var options = new ProgrammingOptions();
        var policy = new RefreshPolicy(bench.Layout, bench.Targets, bench.Law, bench.Trace.MeanK, options);
        double[] hourK = [.. Enumerable.Range(0, 24).Select(bench.Trace.At)];
        int warmest = Array.IndexOf(hourK, hourK.Max());
        DeviceArray held = bench.Copy();
        held.UseTable(bench.Tables.At(hourK[0]));
        policy.Run(held, double.PositiveInfinity, idleS: MaxIntervalS);
        double refreshed = bench.Evaluate(WristBench.Copy(held), hourK[0], out double inferenceFj);

        var intervals = new List<Interval>();
        for (int i = 0; i < intervalsS.Count; i++)
        {
            double t = intervalsS[i];
            double readJ = 0, pulseJ = 0;
            RefreshPolicy.Session? atWarmest = null;
            DeviceArray? worst = null;
            for (int h = 0; h < 24; h++)
            {
                DeviceArray cycle = Drifted(bench, held, t, hourK[h], Seed(o.Seed, i, h));
                cycle.UseTable(bench.Tables.At(hourK[h]));
                // The warmest hour's drifted crossbar, as the inference just before its refresh meets it.
                if (h == warmest) worst = WristBench.Copy(cycle);
                RefreshPolicy.Session session = policy.Run(cycle, double.PositiveInfinity, idleS: t);
                double sessions = 3600 / t;
                readJ += session.Spent.ReadEnergyJ * sessions;
                pulseJ += (session.Spent.ProgrammingEnergyJ + session.Spent.InitializationEnergyJ) * sessions;
                if (h == warmest) atWarmest = session;
                progress?.Invoke((i + (h + 1) / 25.0) / intervalsS.Count);
            }
            double accuracy = bench.Evaluate(worst!, hourK[warmest], out _);
            intervals.Add(new Interval(t, accuracy, hourK[warmest], worst!.CountOffTarget(bench.Targets), 86_400 / t, (readJ + pulseJ) * 1e9, readJ * 1e9, pulseJ * 1e9,
                atWarmest!.DevicesReprogrammed, atWarmest.DevicesFailed));
            progress?.Invoke((i + 1.0) / intervalsS.Count);
        }
        return new Result(refreshed, inferenceFj * o.InferencesPerDay * 1e-6, o.InferencesPerDay, o.Images, bench.Layout.DeviceCount, bench.Layout.Shape,
            [.. intervals], clock.Elapsed.TotalSeconds);
    }

    /// <summary>A copy of the refreshed crossbar after <paramref name="seconds"/> of drift at <paramref name="temperatureK"/>.</summary>
    private static DeviceArray Drifted(WristBench bench, DeviceArray held, double seconds, double temperatureK, ulong seed)
    {
        DeviceArray copy = WristBench.Copy(held);
        DeviceAging.Apply(copy, DeviceAging.Transitions(bench.Law, bench.States, seconds, temperatureK), seed);
        return copy;
    }

    private static ulong Seed(ulong seed, int interval, int hour) => seed * 1_000_003 + (ulong)interval * 24 + (ulong)hour;
}
