namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

public static class DevicePushes
{
    /// <summary>How long a node may take to say which devices it holds before its devices go through their grains.</summary>
    private static readonly TimeSpan NodeAnswer = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Asks every node to send its next update to each of these devices whose stream it holds (one call a node), then
    /// each device no node answered for through its grain (<see cref="PushAllAsync"/>): a device with no stream, one
    /// connected to a node not yet in the directory, or to a node that did not answer (dying: it is asked with a
    /// deadline, so a dead node's call cannot hold the rollout). Whichever node pushes, the device's grain still grants
    /// the update's one in-flight slot to its live stream only. Returns the devices whose grain knows no live stream.
    /// </summary>
    public static async Task<IReadOnlyList<string>> PushThroughNodesAsync(this IGrainFactory grains, IReadOnlyList<string> deviceIds)
    {
        string[] ids = [.. deviceIds];
        var held = new HashSet<string>(StringComparer.Ordinal);
        IDeviceConnections[] nodes = await grains.GetGrain<INodeDirectory>(0).Nodes().ConfigureAwait(false);
        foreach (string[] answer in await Task.WhenAll(nodes.Select(n => HeldByAsync(n, ids))).ConfigureAwait(false)) held.UnionWith(answer);
        return held.Count == ids.Length ? [] : await grains.PushAllAsync(ids.Where(d => !held.Contains(d))).ConfigureAwait(false);
    }

    private static async Task<string[]> HeldByAsync(IDeviceConnections node, string[] deviceIds)
    {
        try
        {
            return await node.PushHeld(deviceIds).WaitAsync(NodeAnswer).ConfigureAwait(false);
        }
        catch (Exception e) when (Devices.FleetHub.IsClusterFault(e))
        {
            return [];
        }
    }

    /// <summary>
    /// Asks each device's grain to have the node holding its stream send its next update (a device with no stream, or
    /// already busy, is left alone), many at a time. Returns the devices whose grain knows no live stream.
    /// </summary>
    private static async Task<IReadOnlyList<string>> PushAllAsync(this IGrainFactory grains, IEnumerable<string> deviceIds, CancellationToken ct = default)
    {
        var unreachable = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(deviceIds, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (d, _) =>
        {
            if (!await grains.GetGrain<IDeviceGrain>(d).Push().ConfigureAwait(false)) unreachable.Add(d);
        }).ConfigureAwait(false);
        return [.. unreachable];
    }

    /// <summary>
    /// Asks every node to take up these devices if it holds their streams (their grains know none): the node tells
    /// each grain again and pushes the update.
    /// </summary>
    public static async Task SweepAsync(this IGrainFactory grains, IReadOnlyList<string> deviceIds)
    {
        if (deviceIds.Count == 0) return;
        string[] ids = [.. deviceIds];
        foreach (IDeviceConnections node in await grains.GetGrain<INodeDirectory>(0).Nodes().ConfigureAwait(false)) await node.Sweep(ids).ConfigureAwait(false);
    }
}
