using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Cloud.Reports;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Runtime;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>
/// `lifetime-curve`: the month on the wrist of `edge lifetime` (same <see cref="LifetimeSimulation"/>) at several
/// refresh budgets, as CSV and two PNGs: accuracy per day with and without refresh, and the last day's accuracy
/// against the budget.
/// </summary>
public static class LifetimeCurveCommand
{
    public sealed record Output(int Days, double[] BudgetsNjPerDay, double Day0Accuracy, double[] FinalAccuracyWithRefresh, double FinalAccuracyWithoutRefresh,
        double[] MeanRefreshEnergyNjPerDay, double MeanInferenceEnergyNjPerDay, double SimulatedDaysPerSecond, double BarrierShiftEv, double[] StateLifetimesDaysAtMeanTemperature,
        string DaysPng, string BudgetPng, string Csv);

    public static Command Build()
    {
        var state = new Option<string>("--state") { Description = "A device's state directory (not changed).", Required = true };
        var data = new Option<string>("--data") { Description = "IDX data folder (its t10k split is used).", DefaultValueFactory = _ => "data/mnist" };
        var days = new Option<int>("--days") { Description = "Days to simulate.", DefaultValueFactory = _ => 30 };
        var budgets = new Option<string>("--budgets-nj") { Description = "Comma-separated refresh budgets, nJ per day.", DefaultValueFactory = _ => "0,1,10,100,1000" };
        var images = new Option<int>("--images") { Description = "Test images classified at the end of each day (each arm).", DefaultValueFactory = _ => 300 };
        var shift = new Option<double>("--barrier-shift-ev") { Description = "Move the drift law's barriers by this much, eV (negative: states leave faster), to ask how the month holds if the law is off. Default 0: the law as shipped.", DefaultValueFactory = _ => 0 };
        var outDir = new Option<string>("--out-dir") { Description = "Where the CSV and PNGs go.", DefaultValueFactory = _ => "out/lifetime" };
        Command command = CliCommand.Create("lifetime-curve",
            "Day-N accuracy against the daily refresh budget, and accuracy per day (PNG, CSV). " +
            "Example: lifetime-curve --state out/wrist/edge --days 30 --budgets-nj 0,10,100,1000 --json",
            (parse, ctx, _) =>
            {
                double[] nj = NumberList.Parse(parse.GetValue(budgets)!, "--budgets-nj", x => x >= 0, "a budget ≥ 0");
                int d = parse.GetValue(days);
                if (d < 1) throw new ArgumentException($"--days must be ≥ 1 (got {d}).");
                double shiftEv = parse.GetValue(shift);
                if (!double.IsFinite(shiftEv)) throw new ArgumentException($"--barrier-shift-ev must be a finite number of eV (got {shiftEv}).");
                string dir = parse.GetValue(outDir)!;
                using DigitStream test = DigitStream.Open(parse.GetValue(data)!, DigitSplit.Test, parse.GetValue(images));
                var results = new List<LifetimeSimulation.Result>();
                foreach (double budget in nj)
                {
                    EdgeDevice device = EdgeDevice.Open(parse.GetValue(state)!);
                    results.Add(ctx.WithProgress($"{budget} nJ/day", p => LifetimeSimulation.Run(device, test, new LifetimeSimulation.Options(d, budget * 1e-9, test.Count, BarrierShiftJ: shiftEv * DriftFit.ElectronVoltJ), p)));
                }
                var csv = new CsvTable("budget_nj_per_day", "day", "temperature_k", "accuracy_with_refresh", "accuracy_without_refresh", "inference_nj", "refresh_nj", "updates_nj", "devices_reprogrammed", "devices_reprogrammed_on_target");
                foreach (LifetimeSimulation.Result r in results)
                    foreach (LifetimeSimulation.Day x in r.PerDay)
                        csv.Row(r.BudgetNjPerDay, x.Index, x.MeanTemperatureK, x.AccuracyWithRefresh, x.AccuracyWithoutRefresh, x.InferenceEnergyNj, x.RefreshEnergyNj, x.UpdateEnergyNj, x.DevicesReprogrammed, x.DevicesReprogrammedOnTarget);
                Directory.CreateDirectory(dir);
                string csvPath = Path.Combine(dir, "lifetime.csv"), daysPng = Path.Combine(dir, "lifetime-days.png"), budgetPng = Path.Combine(dir, "lifetime-budget.png");
                csv.Save(csvPath);
                var perDay = new Chart("Accuracy over a month on the wrist", "day", "test accuracy (%)");
                double[] dayAxis = Enumerable.Range(0, d + 1).Select(i => (double)i).ToArray();
                perDay.Add("no refresh", dayAxis, results[0].PerDay.Select(x => x.AccuracyWithoutRefresh * 100).Prepend(results[0].Day0Accuracy * 100).ToArray());
                foreach (LifetimeSimulation.Result r in results)
                    perDay.Add($"refresh {r.BudgetNjPerDay:G3} nJ/day", dayAxis, r.PerDay.Select(x => x.AccuracyWithRefresh * 100).Prepend(r.Day0Accuracy * 100).ToArray());
                perDay.SavePng(daysPng);
                var positive = results.Where(r => r.BudgetNjPerDay > 0).ToList();
                new Chart($"Day-{d} accuracy against the refresh budget (day 0: {results[0].Day0Accuracy:P1})", "refresh budget (nJ per day)", $"day-{d} accuracy (%)") { LogX = true }
                    .Add("with refresh", positive.Select(r => r.BudgetNjPerDay).ToArray(), positive.Select(r => r.FinalAccuracyWithRefresh * 100).ToArray())
                    .Add("no refresh", positive.Select(r => r.BudgetNjPerDay).ToArray(), positive.Select(r => r.FinalAccuracyWithoutRefresh * 100).ToArray())
                    .SavePng(budgetPng);
                var output = new Output(d, nj, results[0].Day0Accuracy, results.Select(r => r.FinalAccuracyWithRefresh).ToArray(), results[0].FinalAccuracyWithoutRefresh,
                    results.Select(r => r.PerDay.Average(x => x.RefreshEnergyNj)).ToArray(), results[0].PerDay.Average(x => x.InferenceEnergyNj),
                    results.Sum(r => r.Days) / results.Sum(r => r.WallSeconds), shiftEv, results[0].StateLifetimesDaysAtMeanTemperature, daysPng, budgetPng, csvPath);
                ctx.Emit(output, o =>
                {
                    o.WriteLine($"drift law{(shiftEv == 0 ? "" : $" with its barrier moved {shiftEv:+0.###;-0.###} eV")}: a state lasts " +
                        $"{output.StateLifetimesDaysAtMeanTemperature.Min():G3}–{output.StateLifetimesDaysAtMeanTemperature.Max():G3} days at the trace's mean temperature");
                    o.WriteLine($"day 0 {output.Day0Accuracy:P1}; day {d} without refresh {output.FinalAccuracyWithoutRefresh:P1}; {output.SimulatedDaysPerSecond:F2} simulated days/s");
                    for (int i = 0; i < nj.Length; i++)
                        o.WriteLine($"  {nj[i],8:G4} nJ/day: day {d} {output.FinalAccuracyWithRefresh[i]:P1} (refresh spent {output.MeanRefreshEnergyNjPerDay[i]:F2} nJ/day)");
                    o.WriteLine($"wrote {csvPath}, {daysPng}, {budgetPng}");
                });
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { state, data, days, budgets, images, shift, outDir }) command.Options.Add(o);
        return command;
    }
}
