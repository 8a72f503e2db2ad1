using System.CommandLine;
using EdgeSkyrmion.Cli;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Harness.Cluster;

namespace EdgeSkyrmion.Harness.Commands;

/// <summary>`bench-db`: the fleet database's write paths on SQLite or PostgreSQL (<see cref="FleetDatabaseBench"/>).</summary>
public static class BenchDbCommand
{
    public static Command Build()
    {
        var provider = new Option<string>("--provider") { Description = "sqlite or postgres.", DefaultValueFactory = _ => "sqlite" };
        var devices = new Option<int>("--devices") { Description = "Devices to register, and rollout entries to mark.", DefaultValueFactory = _ => 1000 };
        var parallel = new Option<int>("--parallel") { Description = "Threads making the calls at once (1: one after another, as one server's single stream).", DefaultValueFactory = _ => 1 };
        var postgres = new Option<string?>("--postgres") { Description = "An empty PostgreSQL database to use (default: a throwaway PostgreSQL 15 started and removed by the bench)." };
        Command command = CliCommand.Create("bench-db",
            "Time the fleet database: register N devices and mark N rollout entries (from --parallel threads) on a fresh SQLite file or PostgreSQL " +
            "database; on PostgreSQL also count the rows one delta update writes per table. Example: bench-db --provider postgres --devices 1000 --json",
            (parse, ctx, ct) =>
            {
                int n = parse.GetValue(devices);
                if (n < 1) throw new ArgumentException($"--devices must be at least 1, got {n}.");
                int threads = parse.GetValue(parallel);
                if (threads is < 1 or > 64) throw new ArgumentException($"--parallel must be 1–64, got {threads}.");
                string engine = parse.GetValue(provider)!;
                FleetDatabaseBench.Report report;
                if (engine == "sqlite")
                {
                    string dir = Path.Combine(Path.GetTempPath(), "edgeskyrmion-bench-db-" + Guid.NewGuid().ToString("N"));
                    try
                    {
                        report = FleetDatabaseBench.Run(engine, () => FleetDatabase.OpenSqlite(Path.Combine(dir, "fleet.db")), n, threads, null);
                    }
                    finally
                    {
                        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                    }
                }
                else if (engine == "postgres")
                {
                    using ThrowawayPostgres? server = parse.GetValue(postgres) is null ? ThrowawayPostgres.Create() : null;
                    string connection = parse.GetValue(postgres) ?? server!.CreateDatabase("fleet_bench");
                    report = FleetDatabaseBench.Run(engine, () => FleetDatabase.OpenPostgres(connection), n, threads, connection);
                }
                else throw new ArgumentException($"--provider {engine}: use sqlite or postgres.");
                ctx.Emit(report, o =>
                {
                    o.WriteLine($"{report.Provider}, {report.Parallel} thread(s): registered {report.Devices:N0} devices in {report.RegisterSeconds:F2} s ({report.RegistrationsPerSecond:F0}/s); " +
                        $"marked {report.Devices:N0} rollout entries in {report.MarkSeconds:F2} s ({report.MarksPerSecond:F0}/s)");
                    if (report.RowsWrittenPerUpdate is { } rows)
                        o.WriteLine($"rows written by one delta update: {rows.Values.Sum()} ({string.Join(", ", rows.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value}"))})");
                });
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { provider, devices, parallel, postgres }) command.Options.Add(o);
        return command;
    }
}
