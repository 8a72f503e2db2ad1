using System.Collections.Concurrent;
using EdgeSkyrmion.Cloud.Fleet.Cluster;
using EdgeSkyrmion.Cloud.Fleet.Devices;
using EdgeSkyrmion.Cloud.Fleet.Rollouts;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Reliability;
using EdgeSkyrmion.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSkyrmion.Tests.Fleet.Cluster;

/// <summary>
/// A rollout grain's start and push, on the real server hosted in memory: the start returns before its pushes and the
/// grain answers calls while a push runs; a push asks each node once for the devices whose streams it holds
/// (<see cref="DevicePushes.PushThroughNodesAsync"/>), sends the rest through their grains and asks again, for those no
/// grain knows a stream of, only the nodes that did not answer.
/// </summary>
public sealed class RolloutGrainStartTests
{
    /// <summary>The devices registered, a model published for them, and a rollout to them stored and opened (not handed to its grain).</summary>
    private static string OpenRollout(IServiceProvider services, string[] devices, string model, int seed)
    {
        foreach (string d in devices) services.GetRequiredService<DeviceRegistry>().Register(d);
        services.GetRequiredService<ModelCatalog>().Publish(TestImages.Random([20, 8, 10], 1, seed, model));
        RolloutStore rollouts = services.GetRequiredService<RolloutStore>();
        string rollout = rollouts.Create(model, 1, RolloutPlan.Create(devices, [], null, null, false));
        rollouts.Advance(rollout);
        return rollout;
    }

    [Fact]
    public async Task AStartReturnsBeforeItsPushTheGrainAnswersWhileItRunsAndThePushOfEveryWaitingDeviceFollows()
    {
        var logs = new RecordingLoggerProvider();
        var (app, http, _) = await InMemoryFleet.StartAsync(logs: logs);
        http.Dispose();
        try
        {
            // None of them connected, so the push (the node asked, then a grain call per device) takes a while and logs
            // what it pushed when it is done.
            string[] devices = [.. Enumerable.Range(0, 1000).Select(i => $"wrist-{i:D4}")];
            string rollout = OpenRollout(app.Services, devices, "start", seed: 6);
            bool Pushed(string line) => line.StartsWith($"rollout {rollout}: pushed {devices.Length} waiting devices in ", StringComparison.Ordinal)
                && line.Contains($"; {devices.Length} had no live stream", StringComparison.Ordinal);

            IRolloutGrain grain = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IRolloutGrain>(rollout);
            await grain.Start();
            // Before, the start returned after the push and its log line.
            Assert.DoesNotContain(logs.Lines, Pushed);
            // And a call (an ack's, a tick) waited for the whole push: now it is answered between the push's grain calls.
            Assert.True((await grain.Describe()).Ticking);
            Assert.DoesNotContain(logs.Lines, Pushed);

            for (int i = 0; i < 300 && !logs.Lines.Any(Pushed); i++) await Task.Delay(100);
            Assert.Contains(logs.Lines, Pushed);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task APushReachesTheStreamsANodeHoldsOnceEachAndLeavesADeviceWithoutAStreamUnreachable()
    {
        var (app, http, _) = await InMemoryFleet.StartAsync();
        http.Dispose();
        try
        {
            string[] devices = ["held-a", "held-b", "offline-c"];
            OpenRollout(app.Services, devices, "node-push", seed: 21);
            FleetHub hub = app.Services.GetRequiredService<FleetHub>();
            await hub.RegisterNodeAsync();
            RecordingStreamWriter a = new(), b = new();
            await hub.AttachAsync(new FleetHub.Session("held-a", a) { Hello = new Hello { DeviceId = "held-a" } });
            await hub.AttachAsync(new FleetHub.Session("held-b", b) { Hello = new Hello { DeviceId = "held-b" } });

            IReadOnlyList<string> unreachable = await app.Services.GetRequiredService<IGrainFactory>().PushThroughNodesAsync(devices);
            Assert.Equal(["offline-c"], unreachable);
            Assert.Equal(["held-a", "held-b"], await ((IDeviceConnections)hub).PushHeld(devices));

            foreach (RecordingStreamWriter stream in new[] { a, b })
            {
                UpdateChunk[] chunks = await stream.WholeUpdateAsync();
                // Pushed twice (the rollout, then the node asked again): one update in flight, written once.
                Assert.Single(chunks.Select(c => c.UpdateId).Distinct());
                Assert.Equal([.. Enumerable.Range(0, (int)chunks[0].Count)], chunks.Select(c => (int)c.Index));
            }
            Assert.Equal(2, hub.UpdatesInFlight);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>A node's side of the cluster's calls that answers <see cref="IDeviceConnections.PushHeld"/> holding nothing, after <paramref name="answerAfter"/>.</summary>
    private sealed class OtherNode(TimeSpan answerAfter) : IDeviceConnections
    {
        public ConcurrentQueue<string[]> Swept { get; } = new();

        public async Task<string[]> PushHeld(string[] deviceIds)
        {
            await Task.Delay(answerAfter);
            return [];
        }

        public Task Sweep(string[] deviceIds)
        {
            Swept.Enqueue(deviceIds);
            return Task.CompletedTask;
        }

        public Task Push(string deviceId) => Task.CompletedTask;

        public Task Close(string deviceId, long session, string reason, bool refused) => Task.CompletedTask;
    }

    [Fact]
    public async Task APushAsksAgainForTheDevicesNoGrainKnowsOnlyTheNodesThatDidNotAnswer()
    {
        var (app, http, _) = await InMemoryFleet.StartAsync();
        http.Dispose();
        try
        {
            string[] devices = ["held-a", "offline-c"];
            OpenRollout(app.Services, devices, "node-sweep", seed: 22);
            IGrainFactory grains = app.Services.GetRequiredService<IGrainFactory>();
            FleetHub hub = app.Services.GetRequiredService<FleetHub>();
            await hub.RegisterNodeAsync();
            // The slow node answers past the push's deadline (5 s); a node's calls run one at a time, so the one-way
            // sweep that follows reaches it after that answer.
            OtherNode answering = new(TimeSpan.Zero), slow = new(TimeSpan.FromSeconds(7));
            INodeDirectory directory = grains.GetGrain<INodeDirectory>(0);
            await directory.Register("answering", grains.CreateObjectReference<IDeviceConnections>(answering));
            await directory.Register("slow", grains.CreateObjectReference<IDeviceConnections>(slow));
            RecordingStreamWriter a = new();
            await hub.AttachAsync(new FleetHub.Session("held-a", a) { Hello = new Hello { DeviceId = "held-a" } });

            IReadOnlyList<string> unreachable = await grains.PushThroughNodesAsync(devices);
            Assert.Equal(["offline-c"], unreachable);
            for (int i = 0; i < 100 && slow.Swept.IsEmpty; i++) await Task.Delay(100);
            Assert.Equal([["offline-c"]], slow.Swept);
            // The node that answered holding neither device is not asked again; the device held on this node got its update.
            Assert.Empty(answering.Swept);
            Assert.Single((await a.WholeUpdateAsync()).Select(c => c.UpdateId).Distinct());
            GC.KeepAlive(answering);
            GC.KeepAlive(slow);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
