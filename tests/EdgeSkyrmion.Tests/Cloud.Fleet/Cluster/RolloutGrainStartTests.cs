using EdgeSkyrmion.Cloud.Fleet.Cluster;
using EdgeSkyrmion.Cloud.Fleet.Rollouts;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Tests.Reliability;
using EdgeSkyrmion.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSkyrmion.Tests.Fleet.Cluster;

/// <summary>
/// A rollout grain's start returns before its pushes, and the grain answers calls while the push runs, on the real
/// server hosted in memory: 1,000 devices none of which is connected, so the push (a grain call per device, then every
/// node asked to sweep them) takes a while and logs what it pushed when it is done.
/// </summary>
public sealed class RolloutGrainStartTests
{
    [Fact]
    public async Task AStartReturnsBeforeItsPushTheGrainAnswersWhileItRunsAndThePushOfEveryWaitingDeviceFollows()
    {
        var logs = new RecordingLoggerProvider();
        var (app, http, _) = await InMemoryFleet.StartAsync(logs: logs);
        http.Dispose();
        try
        {
            T Service<T>() where T : notnull => app.Services.GetRequiredService<T>();
            string[] devices = [.. Enumerable.Range(0, 1000).Select(i => $"wrist-{i:D4}")];
            foreach (string d in devices) Service<DeviceRegistry>().Register(d);
            Service<ModelCatalog>().Publish(TestImages.Random([20, 8, 10], 1, seed: 6, "start"));
            RolloutStore rollouts = Service<RolloutStore>();
            string rollout = rollouts.Create("start", 1, RolloutPlan.Create(devices, [], null, null, false));
            rollouts.Advance(rollout);
            string pushed = $"rollout {rollout}: pushed {devices.Length} waiting devices; {devices.Length} had no live stream";

            IRolloutGrain grain = Service<IGrainFactory>().GetGrain<IRolloutGrain>(rollout);
            await grain.Start();
            // Before, the start returned after the push and its log line.
            Assert.DoesNotContain(logs.Lines, l => l.StartsWith(pushed, StringComparison.Ordinal));
            // And a call (an ack's, a tick) waited for the whole push: now it is answered between the push's grain calls.
            Assert.True((await grain.Describe()).Ticking);
            Assert.DoesNotContain(logs.Lines, l => l.StartsWith(pushed, StringComparison.Ordinal));

            for (int i = 0; i < 300 && !logs.Lines.Any(l => l.StartsWith(pushed, StringComparison.Ordinal)); i++) await Task.Delay(100);
            Assert.Contains(logs.Lines, l => l.StartsWith(pushed, StringComparison.Ordinal));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
