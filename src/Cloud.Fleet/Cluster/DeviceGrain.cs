using Orleans.Runtime;

namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>The cluster's one place for a device (<see cref="IDeviceGrain"/>).</summary>
public sealed class DeviceGrain(
    [PersistentState("device", FleetCluster.StorageName)] IPersistentState<DeviceGrainState> state, ILogger<DeviceGrain> logger) : Grain, IDeviceGrain
{
    private sealed record Connection(IDeviceConnections Connections, string Node, long Session);

    private Connection? _live;

    private string DeviceId => this.GetPrimaryKeyString();

    public Task<string?> Attach(IDeviceConnections connections, string node, long session)
    {
        Connection? previous = _live;
        _live = new Connection(connections, node, session);
        if (previous is null) return Task.FromResult<string?>(null);
        logger.LogInformation("device {Device} connected through {Node}; closing its stream on {Previous}", DeviceId, node, previous.Node);
        // One-way: a dead node's stream needs no closing, and the call must not wait on it.
        previous.Connections.Close(DeviceId, previous.Session, $"device {DeviceId} connected again through node {node}; this stream on node {previous.Node} is closed.", refused: false);
        return Task.FromResult<string?>(previous.Node);
    }

    public Task Reattach(IDeviceConnections connections, string node, long session)
    {
        _live ??= new Connection(connections, node, session);
        return Task.CompletedTask;
    }

    public Task Detach(string node, long session)
    {
        if (_live is { } live && live.Node == node && live.Session == session) _live = null;
        return Task.CompletedTask;
    }

    public Task Disconnect(string reason)
    {
        if (_live is { } live) live.Connections.Close(DeviceId, live.Session, reason, refused: true);
        return Task.CompletedTask;
    }

    public Task<bool> Push()
    {
        if (_live is null) return Task.FromResult(false);
        _live.Connections.Push(DeviceId);
        return Task.FromResult(true);
    }

    public async Task<bool> BeginUpdate(string updateId, string rolloutId, string node, long session)
    {
        if (_live is not { } live || live.Node != node || live.Session != session) return false;
        if (state.State.InFlightUpdateId == updateId) return true;
        state.State.InFlightUpdateId = updateId;
        state.State.InFlightRolloutId = rolloutId;
        state.State.InFlightSinceUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await state.WriteStateAsync();
        return true;
    }

    public async Task Finished(string updateId, DeviceHolding? holding)
    {
        if (holding is not null)
        {
            (state.State.ModelId, state.State.Version, state.State.ImageSha256) = (holding.ModelId, holding.Version, holding.ImageSha256);
            state.State.UpdatesApplied++;
        }
        else state.State.UpdatesRejected++;
        if (state.State.InFlightUpdateId == updateId) (state.State.InFlightUpdateId, state.State.InFlightRolloutId, state.State.InFlightSinceUnixMs) = (null, null, 0);
        await state.WriteStateAsync();
    }

    public Task Seen(DeviceHealth health)
    {
        (state.State.FailedDevices, state.State.TotalDevices, state.State.LifetimeEnergyFj, state.State.LastSeenUnixMs) =
            (health.FailedDevices, health.TotalDevices, health.LifetimeEnergyFj, health.SeenUnixMs);
        return Task.CompletedTask;
    }

    public Task<DeviceGrainState> Describe() => Task.FromResult(state.State);

    public Task<string?> LiveNode() => Task.FromResult(_live?.Node);
}
