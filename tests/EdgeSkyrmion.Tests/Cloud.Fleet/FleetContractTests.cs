using EdgeSkyrmion.Cloud.Fleet.Updates;
using EdgeSkyrmion.Cloud.Fleet.Devices;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Transport;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Fleet.Storage;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>
/// The fleet contract against the real server hosted in memory (TestServer), on SQLite and on PostgreSQL: the gRPC
/// device stream and the operator JSON API. The HTTP/1.1 device API is tested over a real socket in <see cref="ConstrainedDeviceHttp1Tests"/>.
/// </summary>
public abstract class FleetContractTests(string? postgres) : IAsyncLifetime
{
    private WebApplication _app = null!;
    private TestServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        (_app, _http, _) = await InMemoryFleet.StartAsync(postgres: postgres);
        _server = _app.GetTestServer();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    private T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private (EdgeDevice Device, DeviceCredentials Credentials) NewDevice(string id)
    {
        string token = Service<DeviceRegistry>().Register(id);
        EdgeDevice device = EdgeDevice.Provision(Path.Combine(Path.GetTempPath(), $"dev-{Guid.NewGuid():N}"), id, Presets.Get(Presets.Default), 3);
        var credentials = new DeviceCredentials(Service<KeyRing>().Current().Key.ExportSubjectPublicKeyInfo(), token);
        credentials.Save(device.StateDirectory);
        return (device, credentials);
    }

    [Fact]
    public async Task RolloutPushesAFullImageThenASparseDeltaOverTheStream()
    {
        (EdgeDevice device, DeviceCredentials credentials) = NewDevice("wrist-a");
        ModelImage v1 = TestImages.Random([200, 50, 10], 1, seed: 1);
        ModelImage v2 = TestImages.Mutated(v1, 2, 0.01, seed: 2);
        Service<ModelCatalog>().Publish(v1);
        Service<ModelCatalog>().Publish(v2);

        var acks = new List<UpdateAck>();
        var client = new FleetClient(device, credentials, _server.BaseAddress, _ => { }) { Handler = _server.CreateHandler() };
        var acked = new SemaphoreSlim(0);
        client.Acked += a => { lock (acks) acks.Add(a); acked.Release(); };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task running = client.RunAsync(cts.Token);

        foreach (ModelImage image in new[] { v1, v2 })
        {
            HttpResponseMessage r = await _http.PostAsJsonAsync("/api/rollouts", new { model_id = image.ModelId, version = image.Version, device_ids = new[] { "wrist-a" } });
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.True(await acked.WaitAsync(TimeSpan.FromSeconds(30)), "no ack");
            await WaitUntil(() => Service<DeviceRegistry>().Find("wrist-a")!.ModelVersion == image.Version);
        }
        await cts.CancelAsync();
        await running;

        Assert.All(acks, a => Assert.True(a.Applied, a.Reason));
        Assert.Equal(2UL, device.Committed.ModelVersion);
        IReadOnlyList<UpdateLog.Entry> log = Service<UpdateLog>().ForDevice("wrist-a");
        Assert.Equal([UpdateKind.FullImage, UpdateKind.Delta], log.Select(e => e.Kind));
        Assert.True(log[1].Bytes < log[0].Bytes / 5, $"delta {log[1].Bytes} B vs full {log[0].Bytes} B");
        Assert.Equal(UpdateOutcome.Applied, log[1].Outcome);
        DeviceRegistry.Device held = Service<DeviceRegistry>().Find("wrist-a")!;
        Assert.Equal(2UL, held.ModelVersion);
        // Each ack carried the device's telemetry, and its ledger is in the row the ack wrote (no message of its own).
        Assert.All(acks, a => Assert.Equal("wrist-a", a.Telemetry?.DeviceId));
        Assert.True(device.Committed.Lifetime.TotalEnergyFj > 0);
        Assert.Equal(device.Committed.Lifetime.TotalEnergyFj, held.LifetimeEnergyFj, 1e-9 * device.Committed.Lifetime.TotalEnergyFj);
        Assert.Equal(2, Service<TelemetryHistory>().ForDevice("wrist-a").Count);
    }

    [Fact]
    public async Task ADeviceWaitingInTwoRolloutsGetsTheSecondUpdateOnItsAckOfTheFirst()
    {
        (EdgeDevice device, DeviceCredentials credentials) = NewDevice("wrist-two");
        ModelImage v1 = TestImages.Random([60, 20, 10], 1, seed: 5, "two");
        ModelImage v2 = TestImages.Mutated(v1, 2, 0.05, seed: 6);
        Service<ModelCatalog>().Publish(v1);
        Service<ModelCatalog>().Publish(v2);
        // Both rollouts start before the device connects: their start pushes find no stream, and nothing but the ack of
        // the first (or the second rollout's re-push, ticks later) sends the second.
        Service<RolloutControl>().Start("two", 1, ["wrist-two"]);
        string second = Service<RolloutControl>().Start("two", 2, ["wrist-two"]).RolloutId;

        var acks = new List<UpdateAck>();
        var client = new FleetClient(device, credentials, _server.BaseAddress, _ => { }) { Handler = _server.CreateHandler() };
        client.Acked += a => { lock (acks) acks.Add(a); };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task running = client.RunAsync(cts.Token);
        await WaitUntil(() => Service<DeviceRegistry>().Find("wrist-two")!.ModelVersion == 2);
        await cts.CancelAsync();
        await running;

        Assert.Equal([1UL, 2UL], Service<UpdateLog>().ForDevice("wrist-two").Select(u => u.NewVersion));
        Assert.All(acks, a => Assert.True(a.Applied, a.Reason));
        // Sent on the ack, not by a re-push: the second rollout has not ticked yet (its first tick comes 10 s after its start).
        Assert.Equal(0, (await Service<IGrainFactory>().GetGrain<EdgeSkyrmion.Cloud.Fleet.Cluster.IRolloutGrain>(second).Describe()).Ticks);
    }

    [Fact]
    public async Task AnAckWhoseTelemetryNamesAnotherDeviceClosesTheStreamAndStoresNothing()
    {
        string token = Service<DeviceRegistry>().Register("wrist-honest");
        Service<DeviceRegistry>().Register("wrist-victim");
        RpcException e = await StreamEndedByAckAsync("wrist-honest", token,
            new UpdateAck { UpdateId = "u-none", Applied = false, Reason = "test", Telemetry = new Telemetry { DeviceId = "wrist-victim", FailedDevices = 9, TotalDevices = 10 } });
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("telemetry for another device.", e.Status.Detail);
        Assert.Equal(0, Service<DeviceRegistry>().Find("wrist-victim")!.FailedDevices);
        Assert.Empty(Service<TelemetryHistory>().ForDevice("wrist-victim"));
        Assert.Empty(Service<UpdateLog>().ForDevice("wrist-honest"));
    }

    [Fact]
    public async Task AnAckOfAnUpdateNeverSentToTheDeviceClosesTheStreamNamingItAndStoresNothing()
    {
        string token = Service<DeviceRegistry>().Register("wrist-bogus");
        RpcException e = await StreamEndedByAckAsync("wrist-bogus", token,
            new UpdateAck { UpdateId = "u-never", Applied = false, Reason = "test", Telemetry = new Telemetry { DeviceId = "wrist-bogus", FailedDevices = 9, TotalDevices = 10 } });
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("device wrist-bogus acknowledged update u-never, which was never sent to it; nothing was recorded.", e.Status.Detail);
        Assert.Equal(0, Service<DeviceRegistry>().Find("wrist-bogus")!.FailedDevices);
        Assert.Empty(Service<TelemetryHistory>().ForDevice("wrist-bogus"));
    }

    /// <summary>Says Hello on a stream of its own, sends <paramref name="ack"/>, and returns how the server ended the stream.</summary>
    private async Task<RpcException> StreamEndedByAckAsync(string deviceId, string token, UpdateAck ack)
    {
        using var channel = GrpcChannel.ForAddress(_server.BaseAddress, new GrpcChannelOptions { HttpHandler = _server.CreateHandler() });
        using var call = new EdgeSkyrmion.Protos.V1.Fleet.FleetClient(channel).Connect();
        await call.RequestStream.WriteAsync(new DeviceMessage { Hello = new Hello { SchemaVersion = WireSchema.Current, DeviceId = deviceId, Token = token } });
        await call.RequestStream.WriteAsync(new DeviceMessage { Ack = ack });
        return await Assert.ThrowsAsync<RpcException>(async () => { while (await call.ResponseStream.MoveNext(CancellationToken.None)) { } });
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 300 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition(), "the server did not record the ack in 15 s");
    }

    [Fact]
    public void PreparersRacingForOneDeviceAgreeOnOneUpdateAndLeaveNoOtherRecorded()
    {
        string[] ids = [.. Enumerable.Range(0, 5).Select(i => $"wrist-race-{i}")];
        foreach (string id in ids) NewDevice(id);
        Service<ModelCatalog>().Publish(TestImages.Random([20, 8, 10], 1, seed: 4, "race"));
        Service<RolloutControl>().Start("race", 1, ids);

        // Eight preparers at once per device (a constrained device polling two nodes, say): each builds its own update, one claims the entry.
        foreach (string id in ids)
        {
            var prepared = new string[8];
            using var start = new Barrier(prepared.Length);
            Parallel.For(0, prepared.Length, new ParallelOptions { MaxDegreeOfParallelism = prepared.Length }, i =>
            {
                start.SignalAndWait();
                prepared[i] = Service<FleetHub>().PrepareUnboundedAsync(id, null).GetAwaiter().GetResult()!.UpdateId;
            });
            string winner = Assert.Single(prepared.Distinct());
            Assert.Equal(winner, Assert.Single(Service<UpdateLog>().ForDevice(id)).UpdateId);
        }
    }

    [Fact]
    public async Task UnknownDeviceOrWrongTokenIsRefusedAtHello()
    {
        Service<DeviceRegistry>().Register("known");
        using var channel = GrpcChannel.ForAddress(_server.BaseAddress, new GrpcChannelOptions { HttpHandler = _server.CreateHandler() });
        var client = new EdgeSkyrmion.Protos.V1.Fleet.FleetClient(channel);
        foreach ((string id, string token) in new[] { ("nobody", "x"), ("known", "wrong-token") })
        {
            using var call = client.Connect();
            await call.RequestStream.WriteAsync(new DeviceMessage { Hello = new Hello { SchemaVersion = WireSchema.Current, DeviceId = id, Token = token } });
            var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        }
    }

    [Fact]
    public async Task ADeviceConnectedTwiceIsServedByItsNewerStreamAndTheOlderIsClosedWithTheReason()
    {
        string token = Service<DeviceRegistry>().Register("twice");
        using var channel = GrpcChannel.ForAddress(_server.BaseAddress, new GrpcChannelOptions { HttpHandler = _server.CreateHandler() });
        var client = new EdgeSkyrmion.Protos.V1.Fleet.FleetClient(channel);
        var hello = new DeviceMessage { Hello = new Hello { SchemaVersion = WireSchema.Current, DeviceId = "twice", Token = token } };
        using var older = client.Connect();
        await older.RequestStream.WriteAsync(hello);
        Assert.True(await older.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(CloudMessage.KindOneofCase.Welcome, older.ResponseStream.Current.KindCase);

        using var newer = client.Connect();
        await newer.RequestStream.WriteAsync(hello);
        Assert.True(await newer.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(CloudMessage.KindOneofCase.Welcome, newer.ResponseStream.Current.KindCase);

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var closed = await Assert.ThrowsAsync<RpcException>(() => older.ResponseStream.MoveNext(wait.Token));
        Assert.Equal(StatusCode.Aborted, closed.StatusCode);
        Assert.Contains("connected again through node", closed.Status.Detail, StringComparison.Ordinal);
        // The newer stream is the device's one: the cluster's device grain names this node as holding it.
        Assert.True(await Service<FleetHub>().IsConnectedAsync("twice"));
    }

    [Fact]
    public async Task OperatorApiRejectsBadInputWithAReason()
    {
        HttpResponseMessage unknownModel = await _http.PostAsJsonAsync("/api/rollouts", new { model_id = "nope", version = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, unknownModel.StatusCode);
        Assert.Contains("not published", (await unknownModel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString());
        HttpResponseMessage garbage = await _http.PostAsync("/api/models", new ByteArrayContent([1, 2, 3, 4, 5]));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Service<DeviceRegistry>().Register("dup");
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostAsJsonAsync("/api/devices", new { device_id = "dup" })).StatusCode);
    }
}

public sealed class FleetContractTestsOnSqlite() : FleetContractTests(null);

[Collection(PostgresCollection.Name)]
public sealed class FleetContractTestsOnPostgres(PostgresServer server) : FleetContractTests(server.NewDatabase());
