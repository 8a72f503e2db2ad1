using EdgeSkyrmion.DeviceModel.Micromagnetics;

namespace EdgeSkyrmion.Tests.DeviceModel.Micromagnetics;

public class WorkerPoolTests
{
    private static readonly int[] Covered = new int[1000];

    /// <summary>The worker thread's allocation counter each time it starts its chunk (the process-wide counter would also count other tests' threads).</summary>
    private static readonly long[] WorkerAllocated = new long[6];
    private static int _workerChunks;

    private static void MarkWorker()
    {
        WorkerAllocated[_workerChunks++] = GC.GetAllocatedBytesForCurrentThread();
    }

    /// <summary>Marks its rows; the worker's chunk (from > 0) sleeps, so the caller blocks in the join.</summary>
    private static readonly Action<int, int> SlowWorker = (from, to) =>
    {
        if (from > 0)
        {
            MarkWorker();
            Thread.Sleep(30);
        }
        for (int i = from; i < to; i++) Covered[i]++;
    };

    /// <summary>The caller's chunk sleeps, so the worker finishes and blocks waiting for the next fork.</summary>
    private static readonly Action<int, int> SlowCaller = (from, to) =>
    {
        if (from == 0) Thread.Sleep(30);
        else MarkWorker();
        for (int i = from; i < to; i++) Covered[i]++;
    };

    [Fact]
    public void ThreadsThatReallyBlockInForkAndJoinAllocateNothingAndEveryRowRunsOnce()
    {
        using var pool = new WorkerPool(2);
        int rows = Covered.Length; // the class's statics are allocated here, before the count starts
        Thread.Sleep(30); // the worker has blocked waiting for its first fork
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 3; round++)
        {
            pool.Run(rows, SlowWorker);
            pool.Run(rows, SlowCaller);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        // The worker's first chunk is its first call of the body (JIT and statics); from its second on, each fork and
        // join it went through — blocking in both — allocated nothing.
        Assert.Equal(6, _workerChunks);
        Assert.Equal(0, WorkerAllocated[5] - WorkerAllocated[1]);
        Assert.All(Covered, c => Assert.Equal(6, c));
    }

    [Fact]
    public void AWorkersExceptionReachesTheCallerAndThePoolRunsOn()
    {
        using var pool = new WorkerPool(2);
        var e = Assert.Throws<AggregateException>(() => pool.Run(10, (from, _) =>
        {
            if (from > 0) throw new InvalidOperationException("row failed");
        }));
        Assert.IsType<InvalidOperationException>(e.InnerException);
        int sum = 0;
        pool.Run(10, (from, to) => Interlocked.Add(ref sum, to - from));
        Assert.Equal(10, sum);
    }
}
