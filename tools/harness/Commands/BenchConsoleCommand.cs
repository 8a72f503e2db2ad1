using System.CommandLine;
using EdgeSkyrmion.Cli;
using EdgeSkyrmion.Harness.Reliability.Console;

namespace EdgeSkyrmion.Harness.Commands;

/// <summary>`bench-console`: the console's fleet page at fleet scale (seeded database, the real server, timed requests).</summary>
public static class BenchConsoleCommand
{
    public static Command Build()
    {
        var devices = new Option<int>("--devices") { Description = "Devices to seed the fleet database with.", DefaultValueFactory = _ => 20_000 };
        var runs = new Option<int>("--runs") { Description = "Timed requests per page (after one warm-up).", DefaultValueFactory = _ => 20 };
        var work = new Option<string?>("--work") { Description = "Empty folder for the seeded fleet database (default: a new temp folder, removed after)." };
        Command command = CliCommand.Create("bench-console",
            "Time the operator console's fleet page at fleet scale: seed a real SQLite fleet.db with N devices, start fleet-server serve on it, log in, " +
            "time the first, a middle and the last page, a search and a filter. Example: bench-console --devices 20000 --json",
            async (parse, ctx, ct) =>
            {
                int n = parse.GetValue(devices), r = parse.GetValue(runs);
                if (n < 1) throw new ArgumentException($"--devices must be at least 1, got {n}.");
                if (r < 1) throw new ArgumentException($"--runs must be at least 1, got {r}.");
                string? given = parse.GetValue(work);
                string dir = given ?? Path.Combine(Path.GetTempPath(), "edgeskyrmion-bench-console-" + Guid.NewGuid().ToString("N"));
                try
                {
                    ConsoleBench.Report report = await ConsoleBench.RunAsync(dir, n, r, m => ctx.Info(m), ct).ConfigureAwait(false);
                    ctx.Emit(report, o =>
                    {
                        o.WriteLine($"{report.Devices:N0} devices (database {report.DatabaseBytes / 1e6:F1} MB, seeded in {report.SeedSeconds:F1} s); {report.Runs} requests per page on loopback:");
                        foreach (ConsoleBench.Timing t in report.Pages)
                            o.WriteLine($"  {t.Page,-24} {t.Matches,7:N0} match  median {t.MedianMs,6:F1} ms  p95 {t.P95Ms,6:F1} ms  max {t.MaxMs,6:F1} ms  {t.Bytes / 1e3,5:F1} kB  {t.Path}");
                    });
                }
                finally
                {
                    if (given is null && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                }
            });
        foreach (Option o in new Option[] { devices, runs, work }) command.Options.Add(o);
        return command;
    }
}
