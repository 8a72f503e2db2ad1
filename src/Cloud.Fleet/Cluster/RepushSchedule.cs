namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>
/// When a rollout's tick pushes its waiting devices again. The re-push is a safety net for pushes lost with a node or a
/// failed call; while devices keep finishing, the waiting ones are queued behind them, not lost, and pushing all of them
/// every tick cost more grain calls than the rollout itself (20,000 devices on 3 nodes: ≈ 182,000 re-pushes over the
/// two rollouts of a load test, none of them to a device without a live stream). So a tick re-pushes when no device
/// finished since the previous tick (the rollout stalled), and at the latest every <see cref="MaxTicksBetween"/> ticks,
/// which bounds how long a lost push waits. A fresh activation (its node died) starts stalled: its first tick re-pushes.
/// </summary>
public sealed class RepushSchedule
{
    /// <summary>At the 10 s tick, a lost push waits at most a minute while the rest of the rollout progresses.</summary>
    public const int MaxTicksBetween = 6;

    private bool _finishedSinceTick;
    private int _ticksSinceRepush;

    public void Finished() => _finishedSinceTick = true;

    /// <summary>Called once a tick: whether this tick pushes the waiting devices again.</summary>
    public bool Tick()
    {
        bool stalled = !_finishedSinceTick;
        _finishedSinceTick = false;
        if (!stalled && ++_ticksSinceRepush < MaxTicksBetween) return false;
        _ticksSinceRepush = 0;
        return true;
    }
}
