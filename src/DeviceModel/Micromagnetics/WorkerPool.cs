namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Splits a loop over rows across all cores with persistent threads, so that a solver step allocates nothing
/// (Parallel.For allocates its loop state on every call). The caller's thread takes the first chunk.
/// </summary>
/// <remarks>
/// Fork and join use <see cref="SemaphoreSlim"/>s, which create their lock in the constructor. A
/// <see cref="Barrier"/> was used before: its events create their lock object lazily, the first time a thread
/// really blocks instead of spinning, which put a one-time allocation (24–1,856 B) into whichever step first blocked.
/// </remarks>
public sealed class WorkerPool : IDisposable
{
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _go;
    private readonly SemaphoreSlim _joined = new(0);
    private Action<int, int>? _body;
    private int _count;
    private int _running;
    private bool _stopping;
    private Exception? _failure;

    /// <param name="threads">Workers including the caller; ≤ 0 means every core.</param>
    public WorkerPool(int threads)
    {
        Workers = threads > 0 ? threads : Environment.ProcessorCount;
        _threads = new Thread[Workers - 1];
        _go = new SemaphoreSlim[Workers - 1];
        for (int w = 1; w < Workers; w++)
        {
            int worker = w;
            _go[w - 1] = new SemaphoreSlim(0);
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
        Volatile.Write(ref _running, Workers - 1);
        foreach (SemaphoreSlim go in _go) go.Release();
        Chunk(0);
        _joined.Wait();
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
            _go[worker - 1].Wait();
            if (Volatile.Read(ref _stopping)) return;
            Chunk(worker);
            // The last worker to finish wakes the caller: one release per Run.
            if (Interlocked.Decrement(ref _running) == 0) _joined.Release();
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _stopping, true);
        foreach (SemaphoreSlim go in _go) go.Release();
        foreach (Thread t in _threads) t.Join();
        foreach (SemaphoreSlim go in _go) go.Dispose();
        _joined.Dispose();
    }
}
