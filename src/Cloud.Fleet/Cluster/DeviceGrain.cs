namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>The cluster's one place for a device (<see cref="IDeviceGrain"/>).</summary>
public sealed class DeviceGrain(ILogger<DeviceGrain> logger) : Grain, IDeviceGrain
{
    private sealed record Connection(IDeviceConnections Connections, string Node, long Session, long OpenedUnixMs);

    private Connection? _live;

    private string DeviceId => this.GetPrimaryKeyString();

    public Task<string?> Attach(IDeviceConnections connections, string node, long session, long openedUnixMs)
    {
        Connection? previous = _live;
        var attached = new Connection(connections, node, session, openedUnixMs);
        if (previous is null) _live = attached;
        else
        {
            // Across nodes the stream attaching now is the device's latest: nodes' clocks may disagree by more than a
            // device takes to reconnect elsewhere. On one node its numbers order the streams whatever order their
            // attaches arrive in here — within one run of it: a restarted node (its name may repeat, as a container's
            // process id does) numbers from 1 again, behind its dead run's streams.
            Connection older;
            (older, _live) = SameRun(previous, attached) && previous.Session > session ? (attached, previous) : (previous, attached);
            logger.LogInformation("device {Device} connected through {Node}; closing its older stream on {Older}", DeviceId, node, older.Node);
            Replaced(older, _live.Node);
        }
        return Task.FromResult(previous?.Node);
    }

    public Task Reattach(IDeviceConnections connections, string node, long session, long openedUnixMs)
    {
        var told = new Connection(connections, node, session, openedUnixMs);
        if (_live is null) _live = told;
        else if (_live.Node != node || _live.Session != session)
        {
            bool newer = SameRun(_live, told) ? session > _live.Session : openedUnixMs > _live.OpenedUnixMs;
            (Connection older, _live) = newer ? (_live, told) : (told, _live);
            logger.LogInformation("device {Device} had streams on {Older} and {Newer}; the older one is closed", DeviceId, older.Node, _live.Node);
            Replaced(older, _live.Node);
        }
        return Task.CompletedTask;
    }

    /// <summary>Two streams of one run of one node: its callback reference is made once a run.</summary>
    private static bool SameRun(Connection a, Connection b) => a.Node == b.Node && a.Connections.Equals(b.Connections);

    /// <summary>Closes a stream a newer one replaced. One-way: a dead node's stream needs no closing, and the grain must not wait on it.</summary>
    private void Replaced(Connection older, string newerNode) =>
        older.Connections.Close(DeviceId, older.Session, ReplacedReason(DeviceId, newerNode, older.Node), refused: false);

    /// <summary>What a stream replaced by a newer one of its device is told, by the grain or by a node that saw both.</summary>
    public static string ReplacedReason(string deviceId, string newerNode, string olderNode) =>
        $"device {deviceId} connected again through node {newerNode}; this stream on node {olderNode} is closed.";

    public Task Detach(string node, long session)
    {
        if (_live is { } live && live.Node == node && live.Session == session) _live = null;
        return Task.CompletedTask;
    }

    public Task Disconnect(string reason)
    {
        if (_live is { } live) live.Connections.Close(DeviceId, live.Session, reason, refused: true);
        _live = null;
        return Task.CompletedTask;
    }

    public Task<bool> Push()
    {
        if (_live is null) return Task.FromResult(false);
        _live.Connections.Push(DeviceId);
        return Task.FromResult(true);
    }

    public Task<bool> BeginUpdate(string updateId, string node, long session)
    {
        if (_live is { } live && live.Node == node && live.Session == session) return Task.FromResult(true);
        logger.LogInformation("push of {Update} to {Device} from node {Node} refused: that stream is no longer the device's live one (now {Live})",
            updateId, DeviceId, node, _live?.Node ?? "none");
        return Task.FromResult(false);
    }

    public Task<string?> LiveNode() => Task.FromResult(_live?.Node);
}
