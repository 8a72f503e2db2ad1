namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>
/// Keeps this node known to the cluster: registers it in the <see cref="INodeDirectory"/> at start and every
/// <see cref="NodeDirectory.Refresh"/>, and watches the membership — when a silo is declared dead, the device grains
/// that lived on it are gone with what they knew of live streams, so this node registers again and re-announces the
/// streams it holds (<see cref="Devices.FleetHub.ReannounceAsync"/>).
/// </summary>
public sealed class NodePresence(IClusterMembershipService membership, Devices.FleetHub hub, ILogger<NodePresence> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(RefreshAsync(stoppingToken), WatchAsync(stoppingToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The node is stopping: cancellation is how this service ends, not a fault for the host to log as critical.
        }
    }

    /// <summary>Registers every <see cref="NodeDirectory.Refresh"/>; a failed registration (the silo still joining) is tried again after 2 s.</summary>
    private async Task RefreshAsync(CancellationToken ct)
    {
        while (true)
        {
            TimeSpan next = NodeDirectory.Refresh;
            try
            {
                await hub.RegisterNodeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (Devices.FleetHub.IsClusterFault(e))
            {
                logger.LogWarning("could not register this node in the cluster's node directory: {Message}; trying again in 2 s", e.Message);
                next = TimeSpan.FromSeconds(2);
            }
            await Task.Delay(next, ct).ConfigureAwait(false);
        }
    }

    private async Task WatchAsync(CancellationToken ct)
    {
        ClusterMembershipSnapshot? previous = null;
        await foreach (ClusterMembershipSnapshot snapshot in membership.MembershipUpdates.WithCancellation(ct).ConfigureAwait(false))
        {
            ClusterMember[] died = previous is null ? [] : [.. snapshot.CreateUpdate(previous).Changes.Where(m => m.Status == SiloStatus.Dead)];
            previous = snapshot;
            if (died.Length == 0) continue;
            logger.LogWarning("silo {Silos} declared dead; re-announcing this node's device streams", string.Join(", ", died.Select(m => m.SiloAddress)));
            try
            {
                await hub.RegisterNodeAsync().ConfigureAwait(false);
                await hub.ReannounceAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (Devices.FleetHub.IsClusterFault(e))
            {
                // Each running rollout's tick sweeps the nodes for devices still unreachable; the next death tries again.
                logger.LogWarning("re-announcing device streams failed: {Message}", e.Message);
            }
        }
    }
}
