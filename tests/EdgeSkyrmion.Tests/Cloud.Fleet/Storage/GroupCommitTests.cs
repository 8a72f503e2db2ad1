using System.Data.Common;
using EdgeSkyrmion.Cloud.Fleet.Storage;

namespace EdgeSkyrmion.Tests.Fleet.Storage;

/// <summary>
/// Group commit on a real SQLite file and a real PostgreSQL: batches that wait at the same moment go as one
/// transaction, each caller gets its own results, and a batch that fails in a group fails alone, the others written.
/// The writer is held up by a transaction of the test's own (a row lock on PostgreSQL, the write lock on SQLite) while
/// the other batches gather behind it.
/// </summary>
public abstract class GroupCommitTests(TestFleetDatabase store) : IDisposable
{
    private readonly FleetDatabase _db = store.Db;

    public void Dispose() => store.Dispose();

    private StatementBatch SetPreset(string deviceId, string preset)
    {
        StatementBatch batch = _db.Batch();
        batch.AddReturning("UPDATE devices SET preset = @p WHERE device_id = @d RETURNING device_id", ("@p", preset), ("@d", deviceId));
        return batch;
    }

    /// <summary>Runs <paramref name="gather"/> while the devices' table is held, so its batches wait together behind the first.</summary>
    private async Task<T> WhileHeld<T>(GroupCommit commits, Func<T> gather)
    {
        using DbConnection c = _db.Open();
        T gathered;
        using (DbTransaction held = c.BeginTransaction())
        {
            FleetDatabase.Execute(c, "UPDATE devices SET preset = 'held' WHERE device_id = 'wrist-0'");
            Task first = commits.RunAsync(SetPreset("wrist-0", "first"));
            // Time for the writer to take the first batch and wait on the held row: the rest then gather behind it.
            await Task.Delay(200);
            gathered = gather();
            Assert.False(first.IsCompleted);
            held.Commit();
            await first;
        }
        return gathered;
    }

    [Fact]
    public async Task BatchesThatWaitTogetherShareOneTransactionAndEachGetsItsOwnResults()
    {
        for (int i = 0; i <= 10; i++) new DeviceRegistry(_db).Register($"wrist-{i}");
        using var commits = new GroupCommit(_db, writers: 1);

        Task<StatementBatch.Result[]>[] waiting = await WhileHeld(commits, () =>
            Enumerable.Range(1, 10).Select(i => commits.RunAsync(SetPreset($"wrist-{i}", $"p{i}"))).ToArray());
        StatementBatch.Result[][] results = await Task.WhenAll(waiting);

        for (int i = 1; i <= 10; i++) Assert.Equal([new StatementBatch.Result(1, $"wrist-{i}")], results[i - 1]);
        Assert.Equal(["first", .. Enumerable.Range(1, 10).Select(i => $"p{i}")], Enumerable.Range(0, 11).Select(i => new DeviceRegistry(_db).Find($"wrist-{i}")!.Preset));
        // The first batch went alone (or, taken late, with the rest); the ten behind it in one transaction.
        (long commitCount, long batchCount) = commits.Counts;
        Assert.Equal(11, batchCount);
        Assert.InRange(commitCount, 1, 2);
    }

    [Fact]
    public async Task ABatchThatFailsInAGroupFailsAloneAndTheOthersAreWritten()
    {
        for (int i = 0; i <= 3; i++) new DeviceRegistry(_db).Register($"wrist-{i}");
        using var commits = new GroupCommit(_db, writers: 1);
        StatementBatch failing = SetPreset("wrist-2", "never");
        // A second row with the same key fails on both engines, after the batch's first write.
        failing.Add("INSERT INTO devices (device_id, token_sha256, registered_ms) VALUES ('wrist-1', NULL, 1)");

        Task<StatementBatch.Result[]>[] waiting = await WhileHeld<Task<StatementBatch.Result[]>[]>(commits, () =>
            [commits.RunAsync(SetPreset("wrist-1", "p1")), commits.RunAsync(failing), commits.RunAsync(SetPreset("wrist-3", "p3"))]);

        Assert.Equal([new StatementBatch.Result(1, "wrist-1")], await waiting[0]);
        await Assert.ThrowsAnyAsync<DbException>(() => waiting[1]);
        Assert.Equal([new StatementBatch.Result(1, "wrist-3")], await waiting[2]);
        Assert.Equal(["first", "p1", "", "p3"], Enumerable.Range(0, 4).Select(i => new DeviceRegistry(_db).Find($"wrist-{i}")!.Preset));
    }

    [Fact]
    public async Task AQueryJoinedWithOtherBatchesGetsTheRowItsReaderBuiltAfterTheWritesBeforeItOrNothing()
    {
        for (int i = 0; i <= 1; i++) new DeviceRegistry(_db).Register($"wrist-{i}");
        using var commits = new GroupCommit(_db, writers: 1);
        StatementBatch Read(string deviceId)
        {
            StatementBatch batch = _db.Batch();
            batch.AddQuery("SELECT device_id, preset FROM devices WHERE device_id = @d", r => (r.GetString(0), r.GetString(1)), ("@d", deviceId));
            return batch;
        }

        Task<StatementBatch.Result[]>[] waiting = await WhileHeld<Task<StatementBatch.Result[]>[]>(commits, () =>
            [commits.RunAsync(SetPreset("wrist-1", "p1")), commits.RunAsync(Read("wrist-1")), commits.RunAsync(Read("wrist-9"))]);

        // The read went in the same transaction as the write queued before it, and sees it.
        Assert.Equal([new StatementBatch.Result(1, ("wrist-1", "p1"))], await waiting[1]);
        Assert.Equal([new StatementBatch.Result(0, null)], await waiting[2]);
        // The first batch went alone (or, taken late, with the rest); the three behind it in one transaction.
        (long commitCount, long batchCount) = commits.Counts;
        Assert.Equal(4, batchCount);
        Assert.InRange(commitCount, 1, 2);
    }

    [Fact]
    public async Task AfterDisposalNothingMoreIsTakenAndWhatWaitedIsWritten()
    {
        new DeviceRegistry(_db).Register("wrist-0");
        new DeviceRegistry(_db).Register("wrist-1");
        var commits = new GroupCommit(_db, writers: 1);
        Task<StatementBatch.Result[]> waited = commits.RunAsync(SetPreset("wrist-1", "p1"));
        commits.Dispose();

        // Refused at once, before anything is queued.
        Assert.Throws<ObjectDisposedException>(() => { _ = commits.RunAsync(SetPreset("wrist-0", "late")); });
        Assert.Equal([new StatementBatch.Result(1, "wrist-1")], await waited);
        Assert.Equal("", new DeviceRegistry(_db).Find("wrist-0")!.Preset);
    }
}

public sealed class GroupCommitTestsOnSqlite() : GroupCommitTests(TestFleetDatabase.Sqlite());

[Collection(PostgresCollection.Name)]
public sealed class GroupCommitTestsOnPostgres(PostgresServer postgres) : GroupCommitTests(TestFleetDatabase.Postgres(postgres));
