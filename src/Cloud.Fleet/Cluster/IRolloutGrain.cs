using Orleans.Concurrency;

namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>
/// One rollout, cluster-wide (keyed by its id): its state machine runs here and only here, so acks landing on
/// different nodes at once cannot open a group twice, and an Orleans reminder ticks it, so a rollout continues after
/// any node's death or a full restart — opening due groups and re-pushing devices whose push died with a node.
/// </summary>
public interface IRolloutGrain : IGrainWithStringKey
{
    /// <summary>
    /// The rollout was stored: keep ticking until it ends, and run its state machine and push its open groups — once the
    /// call has returned, in the grain's own turn, so a start never waits on the pushes.
    /// </summary>
    Task Start();

    /// <summary>
    /// A device of group <paramref name="group"/> finished (applied, or rejected). One-way: acks from every node queue here
    /// without waiting on each other's decisions.
    /// </summary>
    [OneWay]
    Task Finished(int group, bool rejected);

    /// <summary>Resumed by an operator: push the devices waiting in its open groups (after the call has returned, as <see cref="Start"/>).</summary>
    Task Resume();

    Task<RolloutGrainState> Describe();
}

/// <summary>A rollout grain's stored state; the rollout's groups, thresholds and per-device status are in the fleet tables.</summary>
[GenerateSerializer, Alias("edgeskyrmion.rollout-state.v1")]
public sealed class RolloutGrainState
{
    [Id(0)] public bool Ticking { get; set; }
    [Id(1)] public long StartedUnixMs { get; set; }
    [Id(2)] public long EndedUnixMs { get; set; }
    [Id(3)] public long Ticks { get; set; }
    [Id(4)] public long DevicesRepushed { get; set; }
}
