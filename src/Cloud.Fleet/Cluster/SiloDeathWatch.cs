namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>
/// Watches the cluster's membership; when a silo is declared dead, the device grains that lived on it are gone with
/// what they knew of live streams, so this node re-announces the streams it holds (<see cref="Devices.FleetHub.ReannounceAsync"/>).
/// </summary>
public sealed class SiloDeathWatch(IClusterMembershipService membership, Devices.FleetHub hub, ILogger<SiloDeathWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ClusterMembershipSnapshot? previous = null;
        await foreach (ClusterMembershipSnapshot snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken).ConfigureAwait(false))
        {
            ClusterMember[] died = previous is null ? [] : [.. snapshot.CreateUpdate(previous).Changes.Where(m => m.Status == SiloStatus.Dead)];
            previous = snapshot;
            if (died.Length == 0) continue;
            logger.LogWarning("silo {Silos} declared dead; re-announcing this node's device streams", string.Join(", ", died.Select(m => m.SiloAddress)));
            try
            {
                await hub.ReannounceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                // The tick of each running rollout re-pushes what is still waiting; the next death tries again.
                logger.LogWarning("re-announcing device streams failed: {Message}", e.Message);
            }
        }
    }
}
