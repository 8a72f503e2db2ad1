using System.CommandLine;
using EdgeSkyrmion.Cli;
using EdgeSkyrmion.Harness.Cluster;

namespace EdgeSkyrmion.Harness.Commands;

/// <summary>`bench-build`: the fleet's build of one device's signed update on the paper's network (<see cref="UpdateBuildBench"/>).</summary>
public static class BenchBuildCommand
{
    public static Command Build()
    {
        var builds = new Option<int>("--builds") { Description = "Builds timed for each kind, after the first.", DefaultValueFactory = _ => 20 };
        var temperature = new Option<double>("--temperature") { Description = "The devices' reported temperature, K (priced at the nearest characterized table).", DefaultValueFactory = _ => 309 };
        Command command = CliCommand.Create("bench-build",
            "Time the fleet's build of one device's signed update (delta and full image) on the paper's 784-1200-1200-10 network, " +
            "published in a fresh SQLite file. Example: bench-build --builds 20 --json",
            (parse, ctx, ct) =>
            {
                int n = parse.GetValue(builds);
                if (n is < 1 or > 10_000) throw new ArgumentException($"--builds must be 1–10000, got {n}.");
                double kelvin = parse.GetValue(temperature);
                if (!(kelvin > 0)) throw new ArgumentException($"--temperature must be above 0 K, got {kelvin}.");
                string dir = Directory.CreateTempSubdirectory("edgeskyrmion-bench-build-").FullName;
                UpdateBuildBench.Report report;
                try
                {
                    report = UpdateBuildBench.Run(n, kelvin, dir);
                }
                finally
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    Directory.Delete(dir, recursive: true);
                }
                ctx.Emit(report, o =>
                {
                    foreach (UpdateBuildBench.Case c in report.Cases)
                        o.WriteLine($"{report.Network} at {report.TemperatureK} K, {c.Kind}: {c.SignedBytes:N0} bytes signed; first build {c.FirstBuildMs:F1} ms, " +
                            $"then {c.MeanBuildMs:F2} ms a build ({c.CpuMsPerBuild:F2} ms CPU), mean of {report.Builds}");
                });
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { builds, temperature }) command.Options.Add(o);
        return command;
    }
}
