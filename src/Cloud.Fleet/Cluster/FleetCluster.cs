using Orleans.Runtime.Hosting;
using System.Net;
using System.Net.Sockets;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using Orleans.Configuration;

namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>
/// The Orleans silo inside every fleet-server process, one code path in two storage configurations: embedded (one silo,
/// localhost clustering, grain state and reminders in the node's SQLite fleet file) and cluster (membership, grain state
/// and reminders in PostgreSQL through Orleans' ADO.NET providers; any number of nodes on one database form one
/// cluster). Device grains, rollout grains and the node's stream observer run the same either way.
/// </summary>
public static class FleetCluster
{
    public const string StorageName = "fleet";

    /// <summary>How often a running rollout's reminder ticks (re-pushing devices a dead node left waiting).</summary>
    public static readonly TimeSpan RolloutTick = TimeSpan.FromSeconds(10);

    /// <summary>Orleans' ids for this fleet; a node joins the cluster of the database it is given.</summary>
    public const string ClusterId = "edgeskyrmion-fleet";

    /// <param name="Postgres">The cluster's PostgreSQL connection string; null: embedded.</param>
    /// <param name="SiloPort">The silo-to-silo port (0: a free one).</param>
    /// <param name="Address">The address other silos reach this one at.</param>
    /// <param name="Reserved">Ports a free silo port must not be (the node's own HTTP ports, bound only after the silo starts).</param>
    public sealed record Options(string? Postgres, int SiloPort = 0, IPAddress? Address = null, IReadOnlyCollection<int>? Reserved = null);

    public static void Add(WebApplicationBuilder builder, FleetDatabase db, Options options)
    {
        if (options.Postgres is not null) OrleansSchema.Apply(db);
        IPAddress address = options.Address ?? IPAddress.Loopback;
        int siloPort = options.SiloPort != 0 ? options.SiloPort : FreePort(address, options.Reserved ?? []);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterId, ClusterId));
            // The silo's own client needs no gateway; devices and operators come in through Kestrel.
            silo.Configure<EndpointOptions>(o => (o.AdvertisedIPAddress, o.SiloPort, o.GatewayPort) = (address, siloPort, 0));
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = RolloutTick);
            // A killed node is declared dead in about a second instead of 7–11 s (shared/PLATFORM-NOTES.md), and a call
            // through it gives up after 10 s instead of 30: its devices reconnect elsewhere meanwhile.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
                o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
            });
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
            if (options.Postgres is { } cs)
            {
                silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", cs));
                silo.AddAdoNetGrainStorage(StorageName, o => (o.Invariant, o.ConnectionString) = ("Npgsql", cs));
                silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = ("Npgsql", cs));
            }
            else
            {
                silo.UseDevelopmentClustering(new IPEndPoint(address, siloPort));
                silo.Services.AddGrainStorage(StorageName, (_, _) => new SqliteGrainStorage(db));
                silo.AddReminders();
                silo.Services.AddSingleton<IReminderTable>(new SqliteReminderTable(db));
            }
        });
    }

    /// <summary>
    /// A port free now that is none of <paramref name="reserved"/>: the OS may hand out a port someone chose a moment ago
    /// and has not bound yet, such as this node's own HTTP port (the silo starts first, and Kestrel then fails to bind).
    /// </summary>
    private static int FreePort(IPAddress address, IReadOnlyCollection<int> reserved)
    {
        while (true)
        {
            using var probe = new TcpListener(address, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            if (!reserved.Contains(port)) return port;
        }
    }
}
