namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

public static class DevicePushes
{
    /// <summary>
    /// Asks each device's grain to have the node holding its stream send its next update (a device with no stream, or
    /// already busy, is left alone), many at a time.
    /// </summary>
    public static Task PushAllAsync(this IGrainFactory grains, IEnumerable<string> deviceIds, CancellationToken ct = default) =>
        Parallel.ForEachAsync(deviceIds, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct },
            async (d, _) => await grains.GetGrain<IDeviceGrain>(d).Push().ConfigureAwait(false));
}
