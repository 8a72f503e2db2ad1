using System.Diagnostics;
using EdgeSkyrmion.Cloud.Fleet.Rollouts;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Protos.V1;
using Npgsql;

namespace EdgeSkyrmion.Harness.Cluster;

/// <summary>
/// The fleet database's write paths timed on one engine, each call its own connection from the pool and its own
/// transaction, as the servers make them: registering N devices, and marking the N entries of a rollout to them
/// applied, from <c>parallel</c> threads at once (1: one call after another). On PostgreSQL also the rows one delta update writes, per table, counted by
/// PostgreSQL's own statistics (pg_stat_user_tables) around the store calls the fleet hub makes for one update
/// (build and record it, mark it sent, the ack, what the device now holds, mark it applied).
/// </summary>
public static class FleetDatabaseBench
{
    public sealed record Report(string Provider, int Devices, int Parallel, double RegisterSeconds, double RegistrationsPerSecond, double MarkSeconds,
        double MarksPerSecond, IReadOnlyDictionary<string, long>? RowsWrittenPerUpdate);

    /// <summary>Runs on a fresh database: <paramref name="open"/> opens it (again) for the rows count.</summary>
    public static Report Run(string provider, Func<FleetDatabase> open, int devices, int parallel, string? postgresConnectionString)
    {
        var threads = new ParallelOptions { MaxDegreeOfParallelism = parallel };
        string[] ids = [.. Enumerable.Range(0, devices).Select(i => $"wrist-{i:D6}")];
        double registerSeconds, markSeconds;
        using (FleetDatabase db = open())
        {
            var registry = new DeviceRegistry(db);
            var clock = Stopwatch.StartNew();
            Parallel.ForEach(ids, threads, id => registry.Register(id));
            registerSeconds = clock.Elapsed.TotalSeconds;

            var rollouts = new RolloutStore(db);
            string rollout = rollouts.Create("bench", 1, RolloutPlan.Create(ids, [], null, null, dynamic: false));
            clock.Restart();
            Parallel.ForEach(ids, threads, id => rollouts.Mark(rollout, id, UpdateOutcome.Applied, null, null));
            markSeconds = clock.Elapsed.TotalSeconds;
        }
        IReadOnlyDictionary<string, long>? rows = postgresConnectionString is null ? null : RowsPerUpdate(open, postgresConnectionString);
        return new Report(provider, devices, parallel, registerSeconds, devices / registerSeconds, markSeconds, devices / markSeconds, rows);
    }

    private static Dictionary<string, long> RowsPerUpdate(Func<FleetDatabase> open, string connectionString)
    {
        using (FleetDatabase db = open())
        {
            new DeviceRegistry(db).Register("rows-probe");
            new RolloutStore(db).Create("bench", 2, RolloutPlan.Create(["rows-probe"], [], null, null, dynamic: false));
        }
        Dictionary<string, long> before = PostgresWrites.PerTable(connectionString, TimeSpan.FromMilliseconds(500));
        using (FleetDatabase db = open())
        {
            var rollouts = new RolloutStore(db);
            var log = new UpdateLog(db);
            (string rolloutId, string modelId, ulong version, _, _, _, _) = rollouts.NextFor("rows-probe")!;
            log.Record("rows-probe-update", UpdateKind.Delta, 1, new byte[2048], 100, new ProgrammingCost.Estimate(300, 0, 100, 1e-12),
                rolloutId, "rows-probe", modelId, version);
            rollouts.Mark(rolloutId, "rows-probe", UpdateOutcome.Sent, "rows-probe-update", null);
            log.RecordAck("rows-probe", new UpdateAck { UpdateId = "rows-probe-update", Applied = true, Energy = new EnergyReport { ProgrammingPulses = 300, ProgrammingEnergyFj = 1000 } });
            new DeviceRegistry(db).Update("rows-probe", modelId, version, new byte[32], "784-10", "mml4-300K");
            rollouts.Advance(rolloutId, (rollouts.Mark(rolloutId, "rows-probe", UpdateOutcome.Applied, "rows-probe-update", null), false));
        }
        return PostgresWrites.Since(before, PostgresWrites.PerTable(connectionString, TimeSpan.FromMilliseconds(500)));
    }
}
