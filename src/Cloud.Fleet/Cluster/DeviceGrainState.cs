namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>
/// A device grain's stored state (Orleans grain storage: the SQLite file embedded, PostgreSQL in a cluster). Written once
/// an update, when it is acknowledged; the update in flight is not stored (ids 3–5 held it before, and are not reused: the
/// live stream is the slot, <see cref="IDeviceGrain.BeginUpdate"/>); the fleet tables stay the index the console and API query.
/// </summary>
[GenerateSerializer, Alias("edgeskyrmion.device-state.v1")]
public sealed class DeviceGrainState
{
    [Id(0)] public string ModelId { get; set; } = "";
    [Id(1)] public ulong Version { get; set; }
    [Id(2)] public byte[]? ImageSha256 { get; set; }
    [Id(6)] public uint FailedDevices { get; set; }
    [Id(7)] public uint TotalDevices { get; set; }
    [Id(8)] public double LifetimeEnergyFj { get; set; }
    [Id(9)] public long LastSeenUnixMs { get; set; }
    [Id(10)] public ulong UpdatesApplied { get; set; }
    [Id(11)] public ulong UpdatesRejected { get; set; }
}
