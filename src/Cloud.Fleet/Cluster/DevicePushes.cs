namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

public static class DevicePushes
{
    /// <summary>
    /// Asks each device's grain to have the node holding its stream send its next update (a device with no stream, or
    /// already busy, is left alone), many at a time. Returns how many had no live stream.
    /// </summary>
    public static async Task<int> PushAllAsync(this IGrainFactory grains, IEnumerable<string> deviceIds, CancellationToken ct = default)
    {
        int unreachable = 0;
        await Parallel.ForEachAsync(deviceIds, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (d, _) =>
        {
            if (!await grains.GetGrain<IDeviceGrain>(d).Push().ConfigureAwait(false)) Interlocked.Increment(ref unreachable);
        }).ConfigureAwait(false);
        return unreachable;
    }
}
