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
    /// the update's one in-flight slot to its live stream only. The devices whose grain knows no live stream are then
    /// swept (<see cref="IDeviceConnections.Sweep"/>, one-way) on the nodes that did not answer only: one that answered
    /// has just said it holds none of them. Returns those devices.
    /// </summary>
    public static async Task<IReadOnlyList<string>> PushThroughNodesAsync(this IGrainFactory grains, IReadOnlyList<string> deviceIds)
    {
        string[] ids = [.. deviceIds];
        IDeviceConnections[] nodes = await grains.GetGrain<INodeDirectory>(0).Nodes().ConfigureAwait(false);
        string[]?[] answers = await Task.WhenAll(nodes.Select(n => HeldByAsync(n, ids))).ConfigureAwait(false);
        var held = new HashSet<string>(answers.SelectMany(a => a ?? []), StringComparer.Ordinal);
        if (held.Count == ids.Length) return [];
        IReadOnlyList<string> unreachable = await grains.PushAllAsync(ids.Where(d => !held.Contains(d))).ConfigureAwait(false);
        if (unreachable.Count == 0) return unreachable;
        string[] sweep = [.. unreachable];
        for (int i = 0; i < nodes.Length; i++)
        {
            if (answers[i] is null) await nodes[i].Sweep(sweep).ConfigureAwait(false);
        }
        return unreachable;
    }

    /// <summary>The devices <paramref name="node"/> pushed, or null if it did not answer in time.</summary>
    private static async Task<string[]?> HeldByAsync(IDeviceConnections node, string[] deviceIds)
    {
        try
        {
            return await node.PushHeld(deviceIds).WaitAsync(NodeAnswer).ConfigureAwait(false);
        }
        catch (Exception e) when (Devices.FleetHub.IsClusterFault(e))
        {
            return null;
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
}
