using EdgeSkyrmion.Cli;
using EdgeSkyrmion.Cloud.Fleet.Rollouts;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Npgsql;

namespace EdgeSkyrmion.Tests.Fleet.Storage;

/// <summary>
/// Several fleet servers on one PostgreSQL: each FleetDatabase here is one server's ("a node"), on a real throwaway
/// PostgreSQL 15. They see each other's writes, a contested write has exactly one winner, and a database that is
/// unreachable or of another schema version is refused with a clear error, changing nothing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SharedPostgresTests(PostgresServer postgres)
{
    private const int Racers = 8;

    [Fact]
    public void TwoNodesSeeEachOthersWrites()
    {
        string database = postgres.NewDatabase();
        using FleetDatabase a = FleetDatabase.OpenPostgres(database), b = FleetDatabase.OpenPostgres(database);
        string token = new DeviceRegistry(a).Register("wrist-1");
        Assert.True(new DeviceRegistry(b).Authenticate("wrist-1", token));
        new DeviceRegistry(b).Revoke("wrist-1");
        Assert.False(new DeviceRegistry(a).Authenticate("wrist-1", token));

        ModelImage v1 = TestImages.Random([20, 10], 1, seed: 1);
        new ModelCatalog(b).Publish(v1);
        Assert.Equal(v1, new ModelCatalog(a).Find(v1.ModelId, 1));

        string rollout = new RolloutStore(a).Create(v1.ModelId, 1, RolloutPlan.Create(["wrist-1"], [], null, null, dynamic: false));
        Assert.Equal(("wrist-1", UpdateOutcome.Pending), new RolloutStore(b).Get(rollout).Devices.Select(d => (d.DeviceId, d.Outcome)).Single());
        Assert.Equal(rollout, new RolloutStore(b).NextFor("wrist-1")?.RolloutId);
    }

    [Fact]
    public void ANodeReadsAPublishedImageOnceAndAVersionNotYetPublishedAgain()
    {
        string database = postgres.NewDatabase();
        using FleetDatabase a = FleetDatabase.OpenPostgres(database), b = FleetDatabase.OpenPostgres(database);
        ModelImage v1 = TestImages.Random([20, 10], 1, seed: 1), v2 = TestImages.Random([20, 10], 2, seed: 2);
        var catalog = new ModelCatalog(a);
        new ModelCatalog(b).Publish(v1);
        Assert.Null(catalog.Find(v2.ModelId, 2));
        new ModelCatalog(b).Publish(v2);
        Assert.Equal(v2, catalog.Find(v2.ModelId, 2));

        Assert.Equal(v1, catalog.Find(v1.ModelId, 1));
        // Published versions never change, so a second read is the first one's: with the row gone behind its back,
        // the node still serves it, where a catalog that had not read it finds nothing.
        using (var c = b.Open()) FleetDatabase.Execute(c, "DELETE FROM models WHERE model_id = @m AND version = 1", ("@m", v1.ModelId));
        Assert.Equal(v1, catalog.Find(v1.ModelId, 1));
        Assert.Null(new ModelCatalog(a).Find(v1.ModelId, 1));
    }

    [Fact]
    public void ThePoolTakesTheFleetsDefaultsWhereTheConnectionStringIsSilentAndKeepsWhatItSets()
    {
        NpgsqlConnectionStringBuilder silent = FleetDatabase.PostgresSettings("Host=db;Database=fleet");
        Assert.Equal((true, 1, 64), (silent.NoResetOnClose, silent.KeepAlive, silent.MaxAutoPrepare));

        NpgsqlConnectionStringBuilder set = FleetDatabase.PostgresSettings("Host=db;Database=fleet;no reset on close=false;Keepalive=30;Max Auto Prepare=8");
        Assert.Equal((false, 30, 8), (set.NoResetOnClose, set.KeepAlive, set.MaxAutoPrepare));

        BadInputException bad = Assert.Throws<BadInputException>(() => FleetDatabase.PostgresSettings("Host=db;Pool Size Of Dreams=3"));
        Assert.Contains("PostgreSQL connection string", bad.Message);
    }

    [Fact]
    public void OfTwoNodesMarkingTheSameRolloutEntryExactlyOneWins()
    {
        string database = postgres.NewDatabase();
        using FleetDatabase a = FleetDatabase.OpenPostgres(database), b = FleetDatabase.OpenPostgres(database);
        string[] devices = [.. Enumerable.Range(0, 20).Select(i => $"wrist-{i}")];
        foreach (string d in devices) new DeviceRegistry(a).Register(d);
        string rollout = new RolloutStore(a).Create("m", 1, RolloutPlan.Create(devices, [], null, null, dynamic: false));
        foreach (string device in devices)
        {
            bool[] won = Race(i => new RolloutStore(i % 2 == 0 ? a : b).MarkIf(rollout, device, UpdateOutcome.Pending, null, UpdateOutcome.Sent, $"u-{i}", null));
            int winner = Assert.Single(Enumerable.Range(0, Racers), i => won[i]);
            Assert.Equal($"u-{winner}", new RolloutStore(b).Get(rollout).Devices.Single(d => d.DeviceId == device).UpdateId);
        }
        Assert.All(new RolloutStore(a).Get(rollout).Devices, d => Assert.Equal(UpdateOutcome.Sent, d.Outcome));
    }

    [Fact]
    public void OfTwoNodesRegisteringTheSameDeviceExactlyOneWins()
    {
        string database = postgres.NewDatabase();
        using FleetDatabase a = FleetDatabase.OpenPostgres(database), b = FleetDatabase.OpenPostgres(database);
        string?[] tokens = new string?[Racers];
        Race(i =>
        {
            try
            {
                tokens[i] = new DeviceRegistry(i % 2 == 0 ? a : b).Register("wrist-1");
            }
            catch (ArgumentException e) when (e.Message.Contains("already registered", StringComparison.Ordinal))
            {
            }
            return true;
        });
        string token = Assert.Single(tokens, t => t is not null)!;
        Assert.True(new DeviceRegistry(b).Authenticate("wrist-1", token));
    }

    [Fact]
    public void AnAckDeliveredToTwoNodesEntersTheEnergyLedgerOnce()
    {
        string database = postgres.NewDatabase();
        using FleetDatabase a = FleetDatabase.OpenPostgres(database), b = FleetDatabase.OpenPostgres(database);
        new DeviceRegistry(a).Register("wrist-1");
        new UpdateLog(a).Record("u-1", UpdateKind.Delta, 1, [1, 2, 3], 5, new ProgrammingCost.Estimate(10, 0, 0, 1e-12), null, "wrist-1", "m", 2);
        var ack = new UpdateAck { UpdateId = "u-1", Applied = true, Energy = new EnergyReport { ProgrammingPulses = 10, ProgrammingEnergyFj = 7 } };
        bool[] recorded = Race(i => new UpdateLog(i % 2 == 0 ? a : b).RecordAck("wrist-1", ack));
        Assert.Single(recorded, r => r);
        Assert.Equal(UpdateOutcome.Applied, new UpdateLog(b).Find("u-1")!.Outcome);
        using var c = a.Open();
        Assert.Equal(1, FleetDatabase.Scalar<long>(c, "SELECT COUNT(*) FROM energy_ledger WHERE update_id = 'u-1'"));
    }

    [Fact]
    public void TwoNodesAdvancingAStagedRolloutTogetherOpenTheNextGroupOnce()
    {
        string database = postgres.NewDatabase();
        using FleetDatabase a = FleetDatabase.OpenPostgres(database), b = FleetDatabase.OpenPostgres(database);
        string[] devices = [.. Enumerable.Range(0, 10).Select(i => $"wrist-{i}")];
        var plan = RolloutPlan.Create(devices, [new RolloutPlan.GroupSpec(20, []), new RolloutPlan.GroupSpec(100, [])], 100, 100, dynamic: false);
        string rollout = new RolloutStore(a).Create("m", 1, plan);
        foreach (string d in plan.Groups[0]) new RolloutStore(a).Mark(rollout, d, UpdateOutcome.Applied, null, null);
        var opened = new IReadOnlyList<string>[Racers];
        Race(i =>
        {
            opened[i] = new RolloutStore(i % 2 == 0 ? a : b).Advance(rollout);
            return true;
        });
        Assert.Equal(plan.Groups[1].Order(), Assert.Single(opened, o => o.Count > 0).Order());
        Assert.Equal(2, new RolloutStore(b).Get(rollout).Stages.OpenGroups);
    }

    [Fact]
    public void ServersStartingTogetherOnAnEmptyDatabaseApplyTheSchemaOnce()
    {
        string database = postgres.NewDatabase();
        var nodes = new FleetDatabase[Racers];
        Race(i =>
        {
            nodes[i] = FleetDatabase.OpenPostgres(database);
            return true;
        });
        foreach (FleetDatabase node in nodes) node.Dispose();
        using FleetDatabase db = FleetDatabase.OpenPostgres(database);
        using var c = db.Open();
        Assert.Equal("1", FleetDatabase.Scalar<string>(c, "SELECT value FROM meta WHERE key = 'schema_version'"));
    }

    [Fact]
    public async Task AServerRestartingIntoABusyClusterDoesNotWaitOnItsWrites()
    {
        string database = postgres.NewDatabase();
        using FleetDatabase running = FleetDatabase.OpenPostgres(database);
        new DeviceRegistry(running).Register("wrist-busy");
        // A node's write transaction in flight holds its tables against DDL (CREATE INDEX IF NOT EXISTS locks the table first).
        using OpenWriteTransaction busy = new(running);
        FleetDatabase.Execute(busy.Connection, "UPDATE devices SET last_seen_ms = 1 WHERE device_id = 'wrist-busy'");

        // The restarting node finds this build's schema in place and starts without touching the tables.
        Task<FleetDatabase> restarting = Task.Run(() => FleetDatabase.OpenPostgres(database));
        Task finished = await Task.WhenAny(restarting, Task.Delay(TimeSpan.FromSeconds(30)));
        busy.Commit();
        Assert.True(finished == restarting, "the restarting server waited on the other node's open transaction");
        (await restarting).Dispose();
    }

    /// <summary>An open write transaction on its own connection.</summary>
    private sealed class OpenWriteTransaction : IDisposable
    {
        private readonly System.Data.Common.DbTransaction _tx;

        public OpenWriteTransaction(FleetDatabase db)
        {
            Connection = db.Open();
            _tx = Connection.BeginTransaction();
        }

        public System.Data.Common.DbConnection Connection { get; }

        public void Commit() => _tx.Commit();

        public void Dispose()
        {
            _tx.Dispose();
            Connection.Dispose();
        }
    }

    [Fact]
    public void TheAuditLogRefusesChangesOnPostgres()
    {
        using FleetDatabase db = FleetDatabase.OpenPostgres(postgres.NewDatabase());
        new AuditLog(db).Append("admin", "admin", "publish", "m v1", "127.0.0.1", "done");
        using var c = db.Open();
        Assert.Contains("append-only", Assert.ThrowsAny<PostgresException>(() => FleetDatabase.Execute(c, "UPDATE audit SET outcome = 'refused'")).Message);
        Assert.Contains("append-only", Assert.ThrowsAny<PostgresException>(() => FleetDatabase.Execute(c, "DELETE FROM audit")).Message);
        Assert.Equal("done", Assert.Single(new AuditLog(db).Read(0, 10)).Outcome);
    }

    [Fact]
    public void AnUnreachableDatabaseIsAClearErrorNamingHostAndPort()
    {
        int port = LoopbackProcesses.FreePort();
        var e = Assert.Throws<BadInputException>(() => FleetDatabase.OpenPostgres($"Host=127.0.0.1;Port={port};Username=postgres;Database=fleet;Timeout=5"));
        Assert.Contains($"PostgreSQL 127.0.0.1:{port}/fleet", e.Message);
    }

    [Fact]
    public void ADatabaseFromBeforeTheDevicesRowKeptItsTemperatureTakesTheNewestReadingFromItsHistory()
    {
        string database = postgres.NewDatabase();
        using (FleetDatabase first = FleetDatabase.OpenPostgres(database))
        {
            var devices = new DeviceRegistry(first);
            devices.Register("wrist-warm");
            devices.Register("wrist-silent");
            foreach (double k in new[] { 300.0, 310.0, 0.0 }) devices.RecordTelemetry(new Telemetry { DeviceId = "wrist-warm", TemperatureK = k, TotalDevices = 1 });
        }
        // The database as a build from before left it: no column, and its schema script not yet this one.
        using (var c = new NpgsqlConnection(database))
        {
            c.Open();
            FleetDatabase.Execute(c, "ALTER TABLE devices DROP COLUMN temperature_k; DELETE FROM meta WHERE key = 'schema_script_sha256'");
        }
        using FleetDatabase reopened = FleetDatabase.OpenPostgres(database);
        var registry = new DeviceRegistry(reopened);
        Assert.Equal(310, registry.Find("wrist-warm")!.TemperatureK);
        Assert.Null(registry.Find("wrist-silent")!.TemperatureK);
    }

    [Fact]
    public void ADatabaseOfAnotherSchemaVersionIsRefusedAndLeftUnchanged()
    {
        string database = postgres.NewDatabase();
        FleetDatabase.OpenPostgres(database).Dispose();
        using (var c = new NpgsqlConnection(database))
        {
            c.Open();
            FleetDatabase.Execute(c, "UPDATE meta SET value = '99' WHERE key = 'schema_version'; DROP TABLE users");
        }
        var e = Assert.Throws<InvalidDataException>(() => FleetDatabase.OpenPostgres(database));
        Assert.Contains("schema v99, this build reads v1", e.Message);
        using (var c = new NpgsqlConnection(database))
        {
            c.Open();
            Assert.Equal(0, FleetDatabase.Scalar<long>(c, SqlDialect.Postgres.TableExists, ("@table", "users")));
        }
    }

    [Fact]
    public void AfterPostgresRestartsTheNextCallsSucceedAndNothingCommittedIsLost()
    {
        using FleetDatabase db = FleetDatabase.OpenPostgres(postgres.NewDatabase());
        var registry = new DeviceRegistry(db);
        Race(i =>
        {
            registry.Register($"before-{i}");
            return true;
        });
        postgres.Server.Stop();
        postgres.Server.Start();
        Race(i =>
        {
            registry.Register($"after-{i}");
            return true;
        });
        Assert.Equal(2 * Racers, registry.All().Count);
    }

    /// <summary>Runs <see cref="Racers"/> calls at once (released together) and returns each one's result.</summary>
    private static bool[] Race(Func<int, bool> call)
    {
        using var start = new Barrier(Racers);
        var results = new bool[Racers];
        Parallel.For(0, Racers, new ParallelOptions { MaxDegreeOfParallelism = Racers }, i =>
        {
            start.SignalAndWait();
            results[i] = call(i);
        });
        return results;
    }
}
