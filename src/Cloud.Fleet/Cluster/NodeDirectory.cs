namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>The cluster's one list of live nodes (<see cref="INodeDirectory"/>).</summary>
public sealed class NodeDirectory : Grain, INodeDirectory
{
    /// <summary>How often every node registers again.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(20);

    private readonly Dictionary<string, (IDeviceConnections Connections, DateTime SeenUtc)> _nodes = new(StringComparer.Ordinal);

    public Task Register(string node, IDeviceConnections connections)
    {
        _nodes[node] = (connections, DateTime.UtcNow);
        return Task.CompletedTask;
    }

    public Task<IDeviceConnections[]> Nodes()
    {
        DateTime cutoff = DateTime.UtcNow - 3 * Refresh;
        foreach (string gone in _nodes.Where(n => n.Value.SeenUtc < cutoff).Select(n => n.Key).ToList()) _nodes.Remove(gone);
        return Task.FromResult(_nodes.Values.Select(n => n.Connections).ToArray());
    }
}
