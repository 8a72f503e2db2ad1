using System.Data.Common;
using EdgeSkyrmion.Cloud.Fleet.Rollouts;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Tests.Fleet.Storage;

/// <summary>
/// A batch of statements on a real SQLite file and a real PostgreSQL (one round trip there, asynchronously; one a
/// statement synchronously): in order, each statement seeing the writes before it, every statement's rows reported
/// where it stands, and all or nothing, both ways.
/// </summary>
public abstract class StatementBatchTests(TestFleetDatabase store) : IDisposable
{
    private readonly FleetDatabase _db = store.Db;

    public void Dispose() => store.Dispose();

    private static async Task<StatementBatch.Result[]> Run(StatementBatch batch, DbConnection c, bool async, DbTransaction? tx = null) =>
        async ? await batch.ExecuteAsync(c, tx) : batch.Execute(c, tx);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EachStatementSeesTheWritesBeforeItAndReportsItsRowsWhereItStands(bool async)
    {
        foreach (string d in new[] { "wrist-1", "wrist-2" }) new DeviceRegistry(_db).Register(d);
        string rollout = new RolloutStore(_db).Create("m", 1, RolloutPlan.Create(["wrist-1", "wrist-2"], [], null, null, dynamic: false));
        StatementBatch batch = _db.Batch();
        int first = batch.Add("UPDATE rollout_devices SET status = 'sent' WHERE rollout_id = @r", ("@r", rollout));
        int returned = batch.AddReturning("UPDATE rollout_devices SET status = 'applied' WHERE rollout_id = @r AND device_id = @d AND status = 'sent' RETURNING group_number",
            ("@r", rollout), ("@d", "wrist-2"));
        int none = batch.AddReturning("UPDATE rollout_devices SET status = 'applied' WHERE rollout_id = @r AND device_id = 'nobody' RETURNING group_number", ("@r", rollout));
        int counted = batch.AddReturning("SELECT COUNT(*) FROM rollout_devices WHERE rollout_id = @r AND status = 'applied'", ("@r", rollout));
        int last = batch.Add("UPDATE rollout_devices SET reason = 'checked' WHERE rollout_id = @r AND status = 'sent'", ("@r", rollout));
        using DbConnection c = _db.Open();
        StatementBatch.Result[] results = await Run(batch, c, async);

        Assert.Equal(new StatementBatch.Result(2, null), results[first]);
        Assert.Equal(1, results[returned].Rows);
        Assert.Equal(1, RolloutStore.GroupOf(results[returned]));
        Assert.Equal(new StatementBatch.Result(0, null), results[none]);
        Assert.Equal(0, RolloutStore.GroupOf(results[none]));
        Assert.Equal(1L, Convert.ToInt64(results[counted].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new StatementBatch.Result(1, null), results[last]);
        Assert.Equal([("wrist-1", UpdateOutcome.Sent, "checked"), ("wrist-2", UpdateOutcome.Applied, null)],
            new RolloutStore(_db).Get(rollout).Devices.Select(d => (d.DeviceId, d.Outcome, d.Reason)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AFailingStatementLeavesNothingOfTheBatchBehind(bool async)
    {
        new DeviceRegistry(_db).Register("wrist-1");
        StatementBatch batch = _db.Batch();
        batch.Add("UPDATE devices SET preset = 'written' WHERE device_id = 'wrist-1'");
        batch.Add("INSERT INTO devices (device_id, token_sha256, registered_ms) VALUES ('wrist-2', NULL, 1)");
        // A second row with the same key fails on both engines.
        batch.Add("INSERT INTO devices (device_id, token_sha256, registered_ms) VALUES ('wrist-1', NULL, 1)");
        using (DbConnection c = _db.Open()) await Assert.ThrowsAnyAsync<DbException>(() => Run(batch, c, async));

        Assert.Equal(["wrist-1"], new DeviceRegistry(_db).All().Select(d => d.DeviceId));
        Assert.NotEqual("written", new DeviceRegistry(_db).Find("wrist-1")!.Preset);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task InsideTheCallersTransactionABatchIsRolledBackWithIt(bool async)
    {
        new DeviceRegistry(_db).Register("wrist-1");
        using (DbConnection c = _db.Open())
        using (DbTransaction tx = c.BeginTransaction())
        {
            StatementBatch batch = _db.Batch();
            int updated = batch.Add("UPDATE devices SET preset = 'written' WHERE device_id = 'wrist-1'");
            batch.Add("UPDATE devices SET shape = 'written' WHERE device_id = 'wrist-1'");
            Assert.Equal(1, (await Run(batch, c, async, tx))[updated].Rows);
            Assert.Equal("written", FleetDatabase.Scalar<string>(c, "SELECT preset FROM devices WHERE device_id = 'wrist-1'"));
        }
        Assert.NotEqual("written", new DeviceRegistry(_db).Find("wrist-1")!.Preset);
    }

    [Fact]
    public async Task AClaimThatLosesWritesNoRecordOfItsUpdate()
    {
        new DeviceRegistry(_db).Register("wrist-1");
        string rollout = new RolloutStore(_db).Create("m", 1, RolloutPlan.Create(["wrist-1"], [], null, null, dynamic: false));
        async Task<bool> Claim(string updateId)
        {
            StatementBatch batch = _db.Batch();
            int claimed = RolloutStore.MarkIf(batch, rollout, "wrist-1", UpdateOutcome.Pending, null, UpdateOutcome.Sent, updateId, null);
            UpdateLog.Record(batch, updateId, UpdateKind.Delta, 0, [1, 2, 3], 3, new ProgrammingCost.Estimate(10, 0, 0, 1e-12), rollout, "wrist-1", "m", 1, onlyIfClaimed: true);
            using DbConnection c = _db.Open();
            return (await batch.ExecuteAsync(c))[claimed].Rows == 1;
        }

        Assert.True(await Claim("u-first"));
        Assert.False(await Claim("u-second"));

        Assert.Equal(["u-first"], new UpdateLog(_db).ForDevice("wrist-1").Select(u => u.UpdateId));
        Assert.Equal("u-first", new RolloutStore(_db).Get(rollout).Devices.Single().UpdateId);
    }

    [Fact]
    public void AnAckRecordedTwiceEntersTheEnergyLedgerOnce()
    {
        new DeviceRegistry(_db).Register("wrist-1");
        var log = new UpdateLog(_db);
        log.Record("u-1", UpdateKind.Delta, 1, [1, 2, 3], 5, new ProgrammingCost.Estimate(10, 0, 0, 1e-12), null, "wrist-1", "m", 2);
        var ack = new UpdateAck { UpdateId = "u-1", Applied = true, Energy = new EnergyReport { ProgrammingPulses = 10, ProgrammingEnergyFj = 7 } };
        Assert.True(log.RecordAck("wrist-1", ack));
        Assert.False(log.RecordAck("wrist-1", ack));
        Assert.False(log.RecordAck("wrist-2", new UpdateAck { UpdateId = "u-unknown", Applied = true }));

        Assert.Equal(1, new UpdateLog(_db).EnergyByDevice().Single().Updates);
        using DbConnection c = _db.Open();
        Assert.Equal(1, FleetDatabase.Scalar<long>(c, "SELECT COUNT(*) FROM energy_ledger"));
        Assert.Equal(7.0, FleetDatabase.Scalar<double>(c, "SELECT energy_fj FROM energy_ledger WHERE update_id = 'u-1'"));
    }
}

public sealed class StatementBatchTestsOnSqlite() : StatementBatchTests(TestFleetDatabase.Sqlite());

[Collection(PostgresCollection.Name)]
public sealed class StatementBatchTestsOnPostgres(PostgresServer postgres) : StatementBatchTests(TestFleetDatabase.Postgres(postgres));
