using EdgeSkyrmion.Harness.Cluster;
using EdgeSkyrmion.Harness.Demo;
using EdgeSkyrmion.Harness.Reliability.Chaos;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Grpc.Core;
using Grpc.Net.Client;

namespace EdgeSkyrmion.Tests.Fleet.Cluster;

/// <summary>
/// Two real `serve --cluster` processes on one throwaway PostgreSQL: a device that opens a stream to each node is
/// served by one — the node holding the older stream closes it with the reason, whichever node that is.
/// </summary>
[Collection(RealProcessCollection.Name)]
public sealed class ClusterNodesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "eskt-cluster-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task ADeviceConnectedToTwoNodesAtOnceIsServedByTheNewerStreamAndTheOtherNodeClosesTheOlderWithTheReason()
    {
        using ThrowawayPostgres postgres = ThrowawayPostgres.Create();
        using ChaosFleet fleet = await ChaosFleet.StartAsync(_root, default, [16, 8, 4], tls: true, nodes: 2, cluster: postgres.CreateDatabase("fleet"));
        string token = (await fleet.Operator.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = "twice" })).Token;
        var hello = new DeviceMessage { Hello = new Hello { SchemaVersion = WireSchema.Current, DeviceId = "twice", Token = token } };
        var ca = PinnedCa.Load(CloudServerProcess.CaBeside(fleet.Database));
        Uri nodeA = fleet.NodeUrls[0], nodeB = fleet.NodeUrls[1];
        using var channelA = GrpcChannel.ForAddress(nodeA, new GrpcChannelOptions { HttpHandler = PinnedCa.Handler(nodeA, ca) });
        using var channelB = GrpcChannel.ForAddress(nodeB, new GrpcChannelOptions { HttpHandler = PinnedCa.Handler(nodeB, ca) });

        using var older = new Protos.V1.Fleet.FleetClient(channelA).Connect();
        await older.RequestStream.WriteAsync(hello);
        Assert.True(await older.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(CloudMessage.KindOneofCase.Welcome, older.ResponseStream.Current.KindCase);
        string serverA = older.ResponseStream.Current.Welcome.ServerId;

        using var newer = new Protos.V1.Fleet.FleetClient(channelB).Connect();
        await newer.RequestStream.WriteAsync(hello);
        Assert.True(await newer.ResponseStream.MoveNext(CancellationToken.None));
        string serverB = newer.ResponseStream.Current.Welcome.ServerId;
        Assert.NotEqual(serverA, serverB);

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var closed = await Assert.ThrowsAsync<RpcException>(() => older.ResponseStream.MoveNext(wait.Token));
        Assert.Equal(StatusCode.Aborted, closed.StatusCode);
        Assert.Contains($"device twice connected again through node {serverB}; this stream on node {serverA} is closed.", closed.Status.Detail, StringComparison.Ordinal);
        // The newer stream stays open, and the two nodes together hold one stream of the device.
        Assert.Equal(1, await fleet.ConnectedAsync(default));
    }
}
