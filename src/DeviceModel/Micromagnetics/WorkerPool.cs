namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Splits a loop over rows across all cores with persistent threads and two barriers, so that a solver step
/// allocates nothing (Parallel.For allocates its loop state on every call). The caller's thread takes the first chunk.
/// </summary>
public sealed class WorkerPool : IDisposable
{
    private readonly Thread[] _threads;
    private readonly Barrier? _start;
    private readonly Barrier? _done;
    private Action<int, int>? _body;
    private int _count;
    private bool _stopping;
    private Exception? _failure;

    /// <param name="threads">Workers including the caller; ≤ 0 means every core.</param>
    public WorkerPool(int threads)
    {
        Workers = threads > 0 ? threads : Environment.ProcessorCount;
        _threads = new Thread[Workers - 1];
        if (Workers == 1) return;
        _start = new Barrier(Workers);
        _done = new Barrier(Workers);
        for (int w = 1; w < Workers; w++)
        {
            int worker = w;
            _threads[w - 1] = new Thread(() => Loop(worker)) { IsBackground = true, Name = $"mm-worker-{w}" };
            _threads[w - 1].Start();
        }
    }

    public int Workers { get; }

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, count) split into one contiguous chunk per worker.</summary>
    public void Run(int count, Action<int, int> body)
    {
        if (Workers == 1 || count < Workers)
        {
            body(0, count);
            return;
        }
        _body = body;
        _count = count;
        _failure = null;
        _start!.SignalAndWait();
        Chunk(0);
        _done!.SignalAndWait();
        _body = null;
        if (_failure is not null) throw new AggregateException(_failure);
    }

    private void Chunk(int worker)
    {
        int from = (int)((long)_count * worker / Workers), to = (int)((long)_count * (worker + 1) / Workers);
        try
        {
            if (from < to) _body!(from, to);
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }

    private void Loop(int worker)
    {
        while (true)
        {
            _start!.SignalAndWait();
            if (Volatile.Read(ref _stopping)) return;
            Chunk(worker);
            _done!.SignalAndWait();
        }
    }

    public void Dispose()
    {
        if (Workers == 1) return;
        Volatile.Write(ref _stopping, true);
        _start!.SignalAndWait();
        foreach (Thread t in _threads) t.Join();
        _start.Dispose();
        _done!.Dispose();
    }
}
