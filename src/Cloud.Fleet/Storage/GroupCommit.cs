using System.Threading.Channels;

namespace EdgeSkyrmion.Cloud.Fleet.Storage;

/// <summary>
/// Group commit: the statement batches of many devices that wait at the same moment (acks, telemetry, update claims)
/// reach the database as one batch, one transaction and on PostgreSQL one round trip. A few writers (one a core) each
/// take whatever is waiting, up to <see cref="MostBatches"/>, so a lone batch goes at once and a rollout's crowd of
/// acks shares round trips and commits. On the cluster database an update's cost followed its round trips, not its
/// statements' execution (docs/fleet.md, "Where an update's CPU goes"); SQLite gets one commit for the group.
/// </summary>
/// <remarks>
/// A device's batch touches only that device's rows (its update, ledger entry, row, telemetry, rollout entry), so
/// batches joined in one transaction see what they would have seen one after another. When the joined batch fails
/// (one bad statement, a deadlock, a lost connection) nothing of it is kept, and each batch is run again alone, so a
/// batch fails only for its own cause.
/// </remarks>
public sealed class GroupCommit : IDisposable
{
    /// <summary>The most batches joined into one transaction.</summary>
    public const int MostBatches = 32;

    private sealed record Waiting(StatementBatch Batch, TaskCompletionSource<StatementBatch.Result[]> Done);

    private readonly FleetDatabase _db;
    private readonly Channel<Waiting> _waiting = Channel.CreateUnbounded<Waiting>();
    private long _commits, _batches;

    public GroupCommit(FleetDatabase db) : this(db, Environment.ProcessorCount)
    {
    }

    /// <param name="db">Where the batches go.</param>
    /// <param name="writers">
    /// Joined batches in flight at once: each holds one pooled connection. One a core; unbounded, a rollout's acks took
    /// every pooled connection and stalled the node (docs/fleet.md).
    /// </param>
    public GroupCommit(FleetDatabase db, int writers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        _db = db;
        for (int i = 0; i < writers; i++) _ = Task.Run(WriteAsync);
    }

    /// <summary>Transactions committed so far, and the batches they carried (their ratio: batches a round trip).</summary>
    public (long Commits, long Batches) Counts => (Interlocked.Read(ref _commits), Interlocked.Read(ref _batches));

    /// <summary>
    /// Runs <paramref name="batch"/> with whatever else is waiting; completes with its own results, or its own failure.
    /// Not cancellable: what a device reported is stored even when its stream closes meanwhile.
    /// </summary>
    public Task<StatementBatch.Result[]> RunAsync(StatementBatch batch)
    {
        var waiting = new Waiting(batch, new TaskCompletionSource<StatementBatch.Result[]>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_waiting.Writer.TryWrite(waiting)) throw new ObjectDisposedException(nameof(GroupCommit), "the node is stopping; nothing more is written.");
        return waiting.Done.Task;
    }

    private async Task WriteAsync()
    {
        var taken = new List<Waiting>(MostBatches);
        while (await _waiting.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            taken.Clear();
            while (taken.Count < MostBatches && _waiting.Reader.TryRead(out Waiting? w)) taken.Add(w);
            if (taken.Count == 0) continue;
            if (taken.Count > 1 && await TryTogetherAsync(taken).ConfigureAwait(false)) continue;
            foreach (Waiting w in taken) await AloneAsync(w).ConfigureAwait(false);
        }
    }

    private async Task<bool> TryTogetherAsync(List<Waiting> taken)
    {
        StatementBatch joined = _db.Batch();
        int[] starts = new int[taken.Count];
        for (int i = 0; i < taken.Count; i++) starts[i] = joined.Append(taken[i].Batch);
        StatementBatch.Result[] results;
        try
        {
            results = await _db.RunAsync(joined).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Rolled back whole; each runs again alone and meets only its own cause.
            return false;
        }
        Counted(taken.Count);
        for (int i = 0; i < taken.Count; i++)
            taken[i].Done.SetResult(results.AsSpan(starts[i], taken[i].Batch.Count).ToArray());
        return true;
    }

    private async Task AloneAsync(Waiting w)
    {
        try
        {
            w.Done.SetResult(await _db.RunAsync(w.Batch).ConfigureAwait(false));
            Counted(1);
        }
        catch (Exception e)
        {
            w.Done.SetException(e);
        }
    }

    private void Counted(int batches)
    {
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _batches, batches);
    }

    /// <summary>Refuses new batches; those already waiting are still written.</summary>
    public void Dispose() => _waiting.Writer.TryComplete();
}
