using System.Diagnostics;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Data;

namespace EdgeSkyrmion.Edge.Runtime;

/// <summary>
/// A month on the wrist, on a copy of a device's crossbar (the state directory is not changed): hour by hour the skin
/// temperature of a <see cref="SkinTemperatureTrace"/> picks the state table and drives the drift law; once a day at
/// <see cref="Options.RefreshHour"/> the <see cref="RefreshPolicy"/> spends the day's budget; at the end of each day
/// (hours after the refresh, as an inference would meet it) both crossbars — with and without refresh, same chip and
/// drift law, their drift drawn separately — classify the test images with read noise. Inference energy per day is the
/// measured read energy per inference times <see cref="Options.InferencesPerDay"/>; no update is pushed, so update
/// energy is 0.
/// </summary>
public static class LifetimeSimulation
{
    public sealed record Options(int Days = 30, double BudgetJPerDay = 0, int Images = 300, int Timesteps = 100, int InferencesPerDay = 1000,
        int RefreshHour = 3, ulong Seed = 1, SkinTemperatureTrace? Trace = null, double BarrierShiftJ = 0);

    public sealed record Day(int Index, double MeanTemperatureK, double AccuracyWithRefresh, double AccuracyWithoutRefresh, double InferenceEnergyNj,
        double RefreshEnergyNj, double UpdateEnergyNj, int DevicesChecked, int DevicesReprogrammed, int DevicesReprogrammedOnTarget, int OffTargetWithRefresh, int OffTargetWithoutRefresh);

    public sealed record Result(int Days, double BudgetNjPerDay, int Images, int Timesteps, int InferencesPerDay, string Shape, int Devices,
        double Day0Accuracy, double FinalAccuracyWithRefresh, double FinalAccuracyWithoutRefresh, Day[] PerDay, double WallSeconds, double SimulatedDaysPerSecond,
        double BarrierShiftEv, double[] StateLifetimesDaysAtMeanTemperature);

    public static Result Run(EdgeDevice device, IDigitSource test, Options o, Action<double>? progress = null)
    {
        if (o.Days < 0) throw new ArgumentException($"--days must be ≥ 0 (got {o.Days}).");
        if (!(o.BudgetJPerDay >= 0) || double.IsInfinity(o.BudgetJPerDay)) throw new ArgumentException($"the refresh budget must be ≥ 0 (got {o.BudgetJPerDay * 1e9} nJ per day).");
        if (o.RefreshHour is < 0 or > 23) throw new ArgumentException($"the refresh hour must be 0–23 (got {o.RefreshHour}).");
        var bench = new WristBench(device, test, o.Images, o.Timesteps, o.Seed, o.Trace, o.BarrierShiftJ);
        SkinTemperatureTrace trace = bench.Trace;
        byte[] targets = bench.Targets;
        var options = new ProgrammingOptions();
        var clock = Stopwatch.StartNew();
        DeviceArray refreshed = bench.Copy(), drifting = bench.Copy();
        var policy = new RefreshPolicy(bench.Layout, targets, bench.Law, trace.MeanK, options);

        double day0 = bench.Evaluate(refreshed, trace.At(0), out _);
        var days = new List<Day>();
        int states = refreshed.Table.States;
        for (int day = 1; day <= o.Days; day++)
        {
            double[,] beforeRefresh = DeviceAging.None(states), afterRefresh = DeviceAging.None(states);
            double sumT = 0;
            for (int h = 0; h < 24; h++)
            {
                double t = trace.At((day - 1) * 24 + h);
                sumT += t;
                double[,] hour = DeviceAging.Transitions(bench.Law, states, 3600, t);
                if (h < o.RefreshHour) beforeRefresh = DeviceAging.Then(beforeRefresh, hour);
                else afterRefresh = DeviceAging.Then(afterRefresh, hour);
            }
            ulong seedBefore = o.Seed * 1_000_003 + (ulong)day * 2, seedAfter = seedBefore + 1;
            double[,] wholeDay = DeviceAging.Then(beforeRefresh, afterRefresh);
            DeviceAging.Apply(drifting, wholeDay, seedBefore);
            DeviceAging.Apply(refreshed, beforeRefresh, seedBefore);
            double refreshT = trace.At((day - 1) * 24 + o.RefreshHour);
            refreshed.UseTable(bench.Tables.At(refreshT));
            RefreshPolicy.Session session = policy.Run(refreshed, o.BudgetJPerDay, idleS: 24 * 3600);
            DeviceAging.Apply(refreshed, afterRefresh, seedAfter);
            double endT = trace.At(day * 24 - 1);
            double withRefresh = bench.Evaluate(refreshed, endT, out double energyFj);
            double without = bench.Evaluate(drifting, endT, out _);
            days.Add(new Day(day, sumT / 24, withRefresh, without, energyFj * o.InferencesPerDay * 1e-6, session.Spent.TotalEnergyJ * 1e9, 0,
                session.DevicesChecked, session.DevicesReprogrammed, session.DevicesReprogrammedOnTarget, refreshed.CountOffTarget(targets), drifting.CountOffTarget(targets)));
            progress?.Invoke((double)day / o.Days);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        return new Result(o.Days, o.BudgetJPerDay * 1e9, o.Images, o.Timesteps, o.InferencesPerDay, bench.Layout.Shape, bench.Layout.DeviceCount, day0,
            days.Count > 0 ? days[^1].AccuracyWithRefresh : day0, days.Count > 0 ? days[^1].AccuracyWithoutRefresh : day0, days.ToArray(), seconds, o.Days / seconds,
            o.BarrierShiftJ / DriftFit.ElectronVoltJ, bench.StateLifetimesDays(trace.MeanK));
    }
}
