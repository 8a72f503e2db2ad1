using System.Data.Common;
using EdgeSkyrmion.Cloud.Fleet.Devices;
using EdgeSkyrmion.Cloud.Fleet.Rollouts;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>
/// A database that fails a device's write, on the real server hosted in memory: the fault is the fleet file's
/// <c>updates</c> table renamed away under the running server (every read or write of it then fails at once with
/// SQLite's own error), and renamed back to recover.
/// </summary>
public sealed class DatabaseFaultTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        (_app, HttpClient http, _) = await InMemoryFleet.StartAsync();
        http.Dispose();
        TestServer server = _app.GetTestServer();
        _channel = GrpcChannel.ForAddress(server.BaseAddress, new GrpcChannelOptions { HttpHandler = server.CreateHandler() });
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _app.DisposeAsync();
    }

    private T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private void Sql(string statement)
    {
        using DbConnection c = Service<FleetDatabase>().Open();
        FleetDatabase.Execute(c, statement);
    }

    /// <summary>A device's stream, past its Hello and the server's Welcome.</summary>
    private async Task<AsyncDuplexStreamingCall<DeviceMessage, CloudMessage>> ConnectAsync(string deviceId)
    {
        string token = Service<DeviceRegistry>().Register(deviceId);
        AsyncDuplexStreamingCall<DeviceMessage, CloudMessage> call = new EdgeSkyrmion.Protos.V1.Fleet.FleetClient(_channel).Connect();
        await call.RequestStream.WriteAsync(new DeviceMessage { Hello = new Hello { SchemaVersion = WireSchema.Current, DeviceId = deviceId, Token = token } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(CloudMessage.KindOneofCase.Welcome, call.ResponseStream.Current.KindCase);
        return call;
    }

    [Fact]
    public async Task AnAckTheDatabaseFailsToStoreClosesTheStreamAsUnavailableWithTheDatabasesReason()
    {
        using AsyncDuplexStreamingCall<DeviceMessage, CloudMessage> call = await ConnectAsync("wrist-ack");
        Sql("ALTER TABLE updates RENAME TO updates_away");

        try
        {
            await call.RequestStream.WriteAsync(new DeviceMessage { Ack = new UpdateAck { UpdateId = "u-any", Applied = true } });
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
            // The server took the ack and closed the stream before the client's write of it returned (a fresh-clone CI
            // run on a busy box); the stream's status below says why either way.
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var closed = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(wait.Token));
        Assert.Equal(StatusCode.Unavailable, closed.StatusCode);
        Assert.Contains("the fleet database did not answer", closed.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("no such table: updates", closed.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APushTheDatabaseFailsToRecordIsDroppedWithTheStreamKeptOpenAndGoesOutOnceTheDatabaseAnswers()
    {
        using AsyncDuplexStreamingCall<DeviceMessage, CloudMessage> call = await ConnectAsync("wrist-push");
        Service<ModelCatalog>().Publish(TestImages.Random([20, 8, 10], 1, seed: 5, "outage"));
        // Stored and opened without handing it to its grain, so no push but this test's own reaches the device.
        RolloutStore rollouts = Service<RolloutStore>();
        string rollout = rollouts.Create("outage", 1, RolloutPlan.Create(["wrist-push"], [], null, null, false));
        rollouts.Advance(rollout);
        FleetHub hub = Service<FleetHub>();

        Sql("ALTER TABLE updates RENAME TO updates_away");
        await hub.PushNextAsync("wrist-push");
        Assert.Equal(UpdateOutcome.Pending, Assert.Single(rollouts.Get(rollout).Devices).Outcome);

        Sql("ALTER TABLE updates_away RENAME TO updates");
        await hub.PushNextAsync("wrist-push");
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.True(await call.ResponseStream.MoveNext(wait.Token));
        Assert.Equal(CloudMessage.KindOneofCase.Chunk, call.ResponseStream.Current.KindCase);
        Assert.Equal(UpdateOutcome.Sent, Assert.Single(rollouts.Get(rollout).Devices).Outcome);
    }
}
