using Orleans.Concurrency;

namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>
/// One rollout, cluster-wide (keyed by its id): its state machine runs here and only here, so acks landing on
/// different nodes at once cannot open a group twice, and an Orleans reminder ticks it, so a rollout continues after
/// any node's death or a full restart — opening due groups and re-pushing devices whose push died with a node.
/// </summary>
public interface IRolloutGrain : IGrainWithStringKey
{
    /// <summary>The rollout was stored: run its state machine, push its open groups, and keep ticking until it ends.</summary>
    Task Start();

    /// <summary>
    /// A device of group <paramref name="group"/> finished (applied, or rejected). One-way: acks from every node queue here
    /// without waiting on each other's decisions.
    /// </summary>
    [OneWay]
    Task Finished(int group, bool rejected);

    /// <summary>Resumed by an operator: push the devices waiting in its open groups.</summary>
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
