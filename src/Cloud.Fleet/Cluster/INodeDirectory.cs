namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>
/// The cluster's nodes as stream holders (one grain, key 0): each node registers its <see cref="IDeviceConnections"/>
/// at start and every <see cref="NodeDirectory.Refresh"/>, so a grain that must reach a device whose node it does not
/// know can ask them all. Kept in memory only: after the grain's silo dies, the nodes' next refresh fills it again.
/// </summary>
public interface INodeDirectory : IGrainWithIntegerKey
{
    Task Register(string node, IDeviceConnections connections);

    /// <summary>The nodes that registered within the last three refresh periods.</summary>
    Task<IDeviceConnections[]> Nodes();
}
