using EdgeSkyrmion.Tests.Support;
using EdgeSkyrmion.Harness.Reliability.Load;
using Xunit.Abstractions;

namespace EdgeSkyrmion.Tests.Reliability;

/// <summary>A small run of the load test: a real server, devices in a separate loadgen process, one rollout to all.</summary>
[Collection(RealProcessCollection.Name)]
public class LoadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EveryConnectedDeviceAppliesTheRolloutWithoutErrors()
    {
        string root = Path.Combine(Path.GetTempPath(), "load-test-" + Guid.NewGuid().ToString("N"));
        FleetLoadTest.Report r = await FleetLoadTest.RunAsync(root, 40, holdSeconds: 1, Path.Combine(root, "states"), output.WriteLine, default);
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(r));
        Assert.Equal(40, r.Applied);
        Assert.True(r.Errors == 0, string.Join("\n", r.FirstErrors));
        Assert.True(r.P99PushMs >= r.P50PushMs && r.ServerPeakRssMb > 0, $"p50 {r.P50PushMs} ms, p99 {r.P99PushMs} ms, RSS {r.ServerPeakRssMb} MB");
    }
}
