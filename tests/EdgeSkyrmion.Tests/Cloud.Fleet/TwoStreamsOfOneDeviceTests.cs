using System.Collections.Concurrent;
using EdgeSkyrmion.Cloud.Fleet.Cluster;
using EdgeSkyrmion.Cloud.Fleet.Devices;
using EdgeSkyrmion.Cloud.Fleet.Rollouts;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Cloud.Fleet.Updates;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>
/// A device with two streams on one node (a reconnect that overtook the old stream's end), on the real server hosted in
/// memory with its embedded silo and SQLite file: the newer stream is the device's whatever order the streams reach its
/// grain in, and every push goes to it whole, whichever stream brought the ack that started it. The streams are the
/// hub's own sessions over recording writers, so the test sets the order the grain hears of them.
/// </summary>
public sealed class TwoStreamsOfOneDeviceTests : IAsyncLifetime
{
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        (_app, HttpClient http, _) = await InMemoryFleet.StartAsync();
        http.Dispose();
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private string Node => Service<ServerIdentity>().ServerId;

    /// <summary>A node's side of the grain's calls, recording the streams the grain closes.</summary>
    private sealed class Connections : IDeviceConnections
    {
        public ConcurrentQueue<(string Device, long Session, string Reason)> Closed { get; } = new();

        public Task Push(string deviceId) => Task.CompletedTask;

        public Task Close(string deviceId, long session, string reason, bool refused)
        {
            Closed.Enqueue((deviceId, session, reason));
            return Task.CompletedTask;
        }

        public Task Sweep(string[] deviceIds) => Task.CompletedTask;

        public Task<string[]> PushHeld(string[] deviceIds) => Task.FromResult<string[]>([]);
    }

    private string RolloutTo(string deviceId, string model, ulong version)
    {
        RolloutStore rollouts = Service<RolloutStore>();
        // Stored and opened without handing it to its grain, so only this test's pushes reach the device.
        string id = rollouts.Create(model, version, RolloutPlan.Create([deviceId], [], null, null, false));
        rollouts.Advance(id);
        return id;
    }

    [Fact]
    public async Task AStreamOpenedSecondOnOneNodeClosesTheFirstAndTakesItsPushesEvenAfterTheFirstEnds()
    {
        Service<DeviceRegistry>().Register("two-a");
        Service<ModelCatalog>().Publish(TestImages.Random([20, 8, 10], 1, seed: 11, "two-a"));
        FleetHub hub = Service<FleetHub>();
        RecordingStreamWriter first = new(), second = new();
        var older = new FleetHub.Session("two-a", first) { Hello = new Hello { DeviceId = "two-a" } };
        var newer = new FleetHub.Session("two-a", second) { Hello = new Hello { DeviceId = "two-a" } };

        await hub.AttachAsync(older);
        await hub.AttachAsync(newer);
        Assert.True(older.Cut.IsCancellationRequested);
        Assert.Equal($"device two-a connected again through node {Node}; this stream on node {Node} is closed.", older.EndReason);
        Assert.False(newer.Cut.IsCancellationRequested);
        hub.Detach(older);
        Assert.Equal(Node, await _app.Services.GetRequiredService<IGrainFactory>().GetGrain<IDeviceGrain>("two-a").LiveNode());

        RolloutTo("two-a", "two-a", 1);
        await hub.PushNextAsync("two-a");
        Assert.Empty(first.Chunks);
        UpdateChunk[] chunks = second.Chunks;
        Assert.NotEmpty(chunks);
        Assert.Equal([.. Enumerable.Range(0, (int)chunks[0].Count)], chunks.Select(c => (int)c.Index));
    }

    [Fact]
    public async Task APushStartedByAnAckOnAReplacedStreamIsWrittenWholeOnTheNewerOne()
    {
        Service<DeviceRegistry>().Register("two-b");
        ModelCatalog catalog = Service<ModelCatalog>();
        catalog.Publish(TestImages.Random([20, 8, 10], 1, seed: 12, "two-b"));
        catalog.Publish(TestImages.Random([20, 8, 10], 2, seed: 13, "two-b"));
        FleetHub hub = Service<FleetHub>();
        RecordingStreamWriter first = new(), second = new();
        using var firstStream = new CancellationTokenSource();
        var older = new FleetHub.Session("two-b", first, firstStream.Token) { Hello = new Hello { DeviceId = "two-b" } };
        await hub.AttachAsync(older);
        RolloutTo("two-b", "two-b", 1);
        await hub.PushNextAsync("two-b");
        string sent = Assert.Single(first.Chunks.Select(c => c.UpdateId).Distinct());

        var newer = new FleetHub.Session("two-b", second) { Hello = new Hello { DeviceId = "two-b" } };
        await hub.AttachAsync(newer);
        RolloutTo("two-b", "two-b", 2);
        // The old stream's ack of v1 arrives as that stream goes away.
        await firstStream.CancelAsync();
        await hub.OnAckAsync("two-b", new UpdateAck { UpdateId = sent, Applied = true });

        Assert.Equal(1ul, Service<DeviceRegistry>().Find("two-b")!.ModelVersion);
        // The ack does not wait for the push it starts.
        UpdateChunk[] chunks = await second.WholeUpdateAsync();
        Assert.NotEmpty(chunks);
        Assert.NotEqual(sent, chunks[0].UpdateId);
        Assert.Equal([.. Enumerable.Range(0, (int)chunks[0].Count)], chunks.Select(c => (int)c.Index));
        Assert.Equal(2ul, Service<UpdateLog>().Find(chunks[0].UpdateId)!.NewVersion);
    }

    [Fact]
    public async Task TheGrainKeepsTheStreamANodeNumberedLaterWhicheverAttachArrivesFirstAndARestartedNodesNewStream()
    {
        IGrainFactory grains = _app.Services.GetRequiredService<IGrainFactory>();
        var connections = new Connections();
        IDeviceConnections node = grains.CreateObjectReference<IDeviceConnections>(connections);
        IDeviceGrain grain = grains.GetGrain<IDeviceGrain>("two-c");
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // Stream 7 opened after stream 5 on node n1, but its attach reached the grain first.
        Assert.Null(await grain.Attach(node, "n1", 7, now));
        Assert.Equal("n1", await grain.Attach(node, "n1", 5, now - 10));
        Assert.True(await grain.BeginUpdate("u", "n1", 7));
        Assert.False(await grain.BeginUpdate("u", "n1", 5));
        // Told again after a silo's death, with a later clock reading: on one node the number still decides.
        await grain.Reattach(node, "n1", 5, now + 10);
        Assert.True(await grain.BeginUpdate("u", "n1", 7));

        // Across nodes the stream attaching now is the newer.
        Assert.Equal("n1", await grain.Attach(node, "n2", 9, now - 1000));
        Assert.True(await grain.BeginUpdate("u", "n2", 9));

        // Node n2 restarted under the same name: its numbers start again, and its new stream is still the newer.
        var restarted = new Connections();
        Assert.Equal("n2", await grain.Attach(grains.CreateObjectReference<IDeviceConnections>(restarted), "n2", 1, now));
        Assert.True(await grain.BeginUpdate("u", "n2", 1));
        for (int i = 0; i < 100 && connections.Closed.Count < 4; i++) await Task.Delay(50);
        Assert.Empty(restarted.Closed);

        // One-way calls: waited for, and compared without their order.
        long[] expected = [5, 5, 7, 9];
        for (int i = 0; i < 100 && connections.Closed.Count < expected.Length; i++) await Task.Delay(50);
        Assert.Equal(expected, connections.Closed.Select(c => c.Session).Order());
        Assert.All(connections.Closed, c => Assert.Equal("two-c", c.Device));
        Assert.All(connections.Closed, c => Assert.Contains("is closed", c.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStreamClosedBecauseItsDeviceWasRefusedTakesItsUpdateInFlightAndItsPlaceInTheGrainWithIt()
    {
        Service<DeviceRegistry>().Register("two-d");
        Service<ModelCatalog>().Publish(TestImages.Random([20, 8, 10], 1, seed: 14, "two-d"));
        FleetHub hub = Service<FleetHub>();
        int before = hub.UpdatesInFlight;
        var session = new FleetHub.Session("two-d", new RecordingStreamWriter()) { Hello = new Hello { DeviceId = "two-d" } };
        await hub.AttachAsync(session);
        RolloutTo("two-d", "two-d", 1);
        await hub.PushNextAsync("two-d");
        Assert.Equal(before + 1, hub.UpdatesInFlight);

        await hub.DisconnectAsync("two-d", "token revoked");
        for (int i = 0; i < 100 && !session.Cut.IsCancellationRequested; i++) await Task.Delay(50);
        Assert.Equal("token revoked", session.EndReason);
        Assert.True(session.Refused);
        Assert.Equal(before, hub.UpdatesInFlight);
        Assert.False(await hub.IsConnectedAsync("two-d"));
        Assert.False(await _app.Services.GetRequiredService<IGrainFactory>().GetGrain<IDeviceGrain>("two-d").Push());
    }

    [Fact]
    public void AnOpenStreamReplacesItsDevicesOlderOneAndAReplacedStreamsEndLeavesTheNewer()
    {
        var streams = new DeviceStreams();
        var older = new FleetHub.Session("d", null!);
        var newer = new FleetHub.Session("d", null!);
        var other = new FleetHub.Session("e", null!);

        Assert.Null(streams.Open(older));
        Assert.Same(older, streams.Open(newer));
        Assert.Null(streams.Open(other));
        Assert.True(newer.Number > older.Number);
        Assert.Same(newer, streams.Of("d"));
        Assert.Same(older, streams.Numbered("d", older.Number));
        Assert.Null(streams.Numbered("e", older.Number));

        Assert.False(streams.Remove(older));
        Assert.Same(newer, streams.Of("d"));
        Assert.Null(streams.Numbered("d", older.Number));
        Assert.Equal(2, streams.Count);
        Assert.True(streams.Remove(newer));
        Assert.Null(streams.Of("d"));
    }
}
