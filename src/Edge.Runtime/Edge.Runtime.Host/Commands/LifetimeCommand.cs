using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Runtime;

namespace EdgeSkyrmion.Edge.Host.Commands;

/// <summary>`edge lifetime`: a simulated month of wear (skin temperature, drift, inferences, daily refresh) on a copy of the crossbar.</summary>
internal static class LifetimeCommand
{
    public static Command Build()
    {
        Option<string> state = HostOptions.State();
        var data = new Option<string>("--data") { Description = "IDX data folder (its t10k split is used).", DefaultValueFactory = _ => "data/mnist" };
        var days = new Option<int>("--days") { Description = "Days to simulate.", DefaultValueFactory = _ => 30 };
        var budget = new Option<double>("--budget-nj-per-day") { Description = "Refresh energy allowed per day, nJ.", DefaultValueFactory = _ => 0 };
        var images = new Option<int>("--images") { Description = "Test images classified at the end of each day (each arm).", DefaultValueFactory = _ => 300 };
        var timesteps = new Option<int>("--timesteps") { Description = "Simulation steps (1 ms each) per image.", DefaultValueFactory = _ => 100 };
        var inferences = new Option<int>("--inferences-per-day") { Description = "Inferences per day the energy account assumes.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the temperature trace and the drift.", DefaultValueFactory = _ => 1UL };
        Command command = CliCommand.Create("lifetime",
            "Simulate a month on the wrist with and without refresh; the state directory is not changed. " +
            "Example: edge lifetime --state /var/edge --days 30 --budget-nj-per-day 50 --json",
            (parse, ctx, _) =>
            {
                int d = parse.GetValue(days), n = parse.GetValue(images), perDay = parse.GetValue(inferences);
                double nj = parse.GetValue(budget);
                if (d < 0) throw new ArgumentException($"--days must be ≥ 0 (got {d}).");
                if (!(nj >= 0) || double.IsInfinity(nj)) throw new ArgumentException($"--budget-nj-per-day must be ≥ 0 (got {nj}).");
                if (perDay < 0) throw new ArgumentException($"--inferences-per-day must be ≥ 0 (got {perDay}).");
                EdgeDevice device = EdgeDevice.Open(parse.GetValue(state)!);
                using DigitStream test = DigitStream.Open(parse.GetValue(data)!, DigitSplit.Test, n);
                var options = new LifetimeSimulation.Options(d, nj * 1e-9, Math.Min(n, test.Count), parse.GetValue(timesteps), perDay, Seed: parse.GetValue(seed));
                LifetimeSimulation.Result r = LifetimeSimulation.Run(device, test, options, ctx.Json ? null : ctx.Progress("lifetime"));
                ctx.Emit(r, HostJson.Default.LifetimeResult, o =>
                {
                    o.WriteLine($"{r.Shape}, {r.Devices} devices, refresh budget {r.BudgetNjPerDay:G4} nJ/day: day 0 {r.Day0Accuracy:P1}; " +
                        $"day {r.Days} {r.FinalAccuracyWithRefresh:P1} with refresh, {r.FinalAccuracyWithoutRefresh:P1} without ({r.SimulatedDaysPerSecond:F2} simulated days/s)");
                    o.WriteLine("day   T (K)  with   without  inference nJ  refresh nJ  updates nJ  checked  reprogrammed (held target)  off-target with/without");
                    foreach (LifetimeSimulation.Day x in r.PerDay)
                        o.WriteLine($"{x.Index,3}  {x.MeanTemperatureK,6:F1}  {x.AccuracyWithRefresh,5:P1}  {x.AccuracyWithoutRefresh,6:P1}  {x.InferenceEnergyNj,12:F1}  {x.RefreshEnergyNj,10:F2}  {x.UpdateEnergyNj,10:F1}  {x.DevicesChecked,7}  {x.DevicesReprogrammed,12} {$"({x.DevicesReprogrammedOnTarget})",-13}  {x.OffTargetWithRefresh}/{x.OffTargetWithoutRefresh}");
                });
                return Task.FromResult(ExitCode.Ok);
            });
        foreach (Option o in new Option[] { state, data, days, budget, images, timesteps, inferences, seed }) command.Options.Add(o);
        return command;
    }
}
