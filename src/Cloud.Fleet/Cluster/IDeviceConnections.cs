using Orleans.Concurrency;

namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>
/// A node's device streams, as the cluster reaches them: the device grain holding a device's one live connection calls
/// the node that holds it. One observer per node (<see cref="Devices.FleetHub"/>).
/// </summary>
public interface IDeviceConnections : IGrainObserver
{
    /// <summary>Send the device its next update over its stream on this node, if any is due (one-way: a push may take seconds).</summary>
    [OneWay]
    Task Push(string deviceId);

    /// <summary>
    /// For each of these devices whose stream this node holds: tell its grain again, then send its next update (as
    /// <see cref="Sweep"/>); returns the devices it holds. A rollout reaches its devices this way: one call a node, then
    /// one grain call a device from the node holding it, where a push through each device's grain took a call to the
    /// grain and one from it to the node.
    /// </summary>
    Task<string[]> PushHeld(string[] deviceIds);

    /// <summary>
    /// Close the device's stream <paramref name="session"/> on this node, telling the device why: refused (its credentials
    /// no longer hold), or replaced by a newer stream.
    /// </summary>
    [OneWay]
    Task Close(string deviceId, long session, string reason, bool refused);

    /// <summary>
    /// For each of these devices whose stream this node holds: tell its grain again, then send its next update. A
    /// rollout's push asks this of the nodes that did not answer its <see cref="PushHeld"/> in time, for the devices whose
    /// grain knows no live stream (a grain activated afresh after a silo's death, before its node re-announced the stream).
    /// </summary>
    [OneWay]
    Task Sweep(string[] deviceIds);
}
