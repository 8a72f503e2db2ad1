namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

public static class DevicePushes
{
    /// <summary>
    /// Asks each device's grain to have the node holding its stream send its next update (a device with no stream, or
    /// already busy, is left alone), many at a time. Returns the devices whose grain knows no live stream.
    /// </summary>
    public static async Task<IReadOnlyList<string>> PushAllAsync(this IGrainFactory grains, IEnumerable<string> deviceIds, CancellationToken ct = default)
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
