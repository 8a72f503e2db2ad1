using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Cloud.Reports;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Runtime;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>
/// `refresh-interval`: refresh every T seconds (<see cref="RefreshIntervalStudy"/>) — the worst accuracy an inference meets
/// and the energy a day of refreshes costs, per interval, as CSV, two PNGs and JSON.
/// </summary>
public static class RefreshIntervalCommand
{
    public sealed record Output(RefreshIntervalStudy.Result Result, string Csv, string AccuracyPng, string EnergyPng);

    public static Command Build()
    {
        var state = new Option<string>("--state") { Description = "A device's state directory (not changed).", Required = true };
        var data = new Option<string>("--data") { Description = "IDX data folder (its t10k split is used).", DefaultValueFactory = _ => "data/mnist" };
        var intervals = new Option<string>("--intervals-s") { Description = $"Comma-separated refresh intervals, s, each > 0 and ≤ {RefreshIntervalStudy.MaxIntervalS}.", DefaultValueFactory = _ => "1,10,60,600,3600,86400" };
        var images = new Option<int>("--images") { Description = "Test images classified per interval.", DefaultValueFactory = _ => 300 };
        var perDay = new Option<int>("--inferences-per-day") { Description = "Inferences a day, for the inference energy set beside the refresh's.", DefaultValueFactory = _ => 1000 };
        var outDir = new Option<string>("--out-dir") { Description = "Where the CSV and PNGs go.", DefaultValueFactory = _ => "out/refresh-interval" };
        Command command = CliCommand.Create("refresh-interval",
            "Refresh every T seconds: the worst accuracy an inference meets (just before a refresh, at the day's warmest hour) and the energy a day of refreshes costs (CSV, PNG). " +
            "Example: refresh-interval --state out/wrist/edge --intervals-s 1,10,60,600 --json",
            (parse, ctx, _) =>
            {
                double[] seconds = NumberList.Parse(parse.GetValue(intervals)!, "--intervals-s", x => x > 0 && x <= RefreshIntervalStudy.MaxIntervalS,
                    $"an interval > 0 and ≤ {RefreshIntervalStudy.MaxIntervalS} s");
                using DigitStream test = DigitStream.Open(parse.GetValue(data)!, DigitSplit.Test, parse.GetValue(images));
                EdgeDevice device = EdgeDevice.Open(parse.GetValue(state)!);
                RefreshIntervalStudy.Result r = ctx.WithProgress("refresh intervals", p => RefreshIntervalStudy.Run(device, test, seconds,
                    new RefreshIntervalStudy.Options(test.Count, InferencesPerDay: parse.GetValue(perDay)), p));
                string dir = parse.GetValue(outDir)!;
                Directory.CreateDirectory(dir);
                var csv = new CsvTable("interval_s", "worst_accuracy", "warmest_k", "off_target_before_refresh", "sessions_per_day", "refresh_nj_per_day",
                    "read_nj_per_day", "pulse_nj_per_day", "reprogrammed_per_session", "failed_per_session", "inference_nj_per_day");
                foreach (RefreshIntervalStudy.Interval x in r.Intervals)
                    csv.Row(x.IntervalS, x.WorstAccuracy, x.WarmestK, x.OffTargetBeforeRefresh, x.SessionsPerDay, x.RefreshEnergyNjPerDay, x.ReadEnergyNjPerDay,
                        x.PulseEnergyNjPerDay, x.ReprogrammedPerSession, x.FailedPerSession, r.InferenceEnergyNjPerDay);
                string csvPath = Path.Combine(dir, "refresh-interval.csv"), accuracyPng = Path.Combine(dir, "refresh-interval-accuracy.png"), energyPng = Path.Combine(dir, "refresh-interval-energy.png");
                csv.Save(csvPath);
                double[] t = [.. r.Intervals.Select(x => x.IntervalS)];
                new Chart($"Worst accuracy against the refresh interval (just refreshed: {r.RefreshedAccuracy:P1})", "refresh interval (s)", "test accuracy (%)") { LogX = true }
                    .Add("just before a refresh, warmest hour", t, [.. r.Intervals.Select(x => x.WorstAccuracy * 100)])
                    .SavePng(accuracyPng);
                new Chart("Energy a day against the refresh interval", "refresh interval (s)", "energy per day (nJ)") { LogX = true, LogY = true }
                    .Add("refresh", t, [.. r.Intervals.Select(x => x.RefreshEnergyNjPerDay)])
                    .Add($"inference ({r.InferencesPerDay} a day)", t, [.. t.Select(_ => r.InferenceEnergyNjPerDay)])
                    .SavePng(energyPng);
                ctx.Emit(new Output(r, csvPath, accuracyPng, energyPng), o =>
                {
                    o.WriteLine($"just refreshed {r.RefreshedAccuracy:P1}; inference {r.InferenceEnergyNjPerDay:G3} nJ/day ({r.InferencesPerDay} a day); {r.Devices} devices, {r.WallSeconds:F0} s");
                    foreach (RefreshIntervalStudy.Interval x in r.Intervals)
                        o.WriteLine(FormattableString.Invariant($"  every {x.IntervalS,7:G6} s: worst {x.WorstAccuracy:P1} ({x.OffTargetBeforeRefresh} devices off target at {x.WarmestK:F1} K); refresh {x.RefreshEnergyNjPerDay:G4} nJ/day (reads {x.ReadEnergyNjPerDay:G4}, pulses {x.PulseEnergyNjPerDay:G4}), {x.ReprogrammedPerSession} re-programmed a session"));
                    o.WriteLine($"wrote {csvPath}, {accuracyPng}, {energyPng}");
                });
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { state, data, intervals, images, perDay, outDir }) command.Options.Add(o);
        return command;
    }
}
