using EdgeSkyrmion.Tests.Support;
using EdgeSkyrmion.Harness.Reliability.Load;
using Xunit.Abstractions;

namespace EdgeSkyrmion.Tests.Reliability;

/// <summary>A small run of the load test: a real server, devices in a separate loadgen process, one rollout to all.</summary>
[Collection(RealProcessCollection.Name)]
public class LoadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EveryConnectedDeviceAppliesTheRolloutWithoutErrorsInsideTheMeasuredRolloutTime()
    {
        string root = Path.Combine(Path.GetTempPath(), "load-test-" + Guid.NewGuid().ToString("N"));
        FleetLoadTest.Report r = await FleetLoadTest.RunAsync(root, 40, holdSeconds: 1, Path.Combine(root, "states"), output.WriteLine, default);
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(r));
        Assert.Equal(40, r.Applied);
        Assert.True(r.Errors == 0, string.Join("\n", r.FirstErrors));
        // Push times come from the database (rollout creation to each ack), the rollout time from the harness's own
        // clock around the same rollout: every push must fit inside it (50 ms for the two clocks and the poll).
        Assert.True(r.P50PushMs > 0 && r.MaxPushMs <= r.RolloutSeconds * 1000 + 50,
            $"p50 {r.P50PushMs} ms, max {r.MaxPushMs} ms, rollout {r.RolloutSeconds * 1000:F0} ms");
        // The server's resident set read from /proc: an ASP.NET Core process with 40 streams lies between these
        // bounds; a sampler reading the wrong process or unit would not.
        Assert.InRange(r.ServerPeakRssMb, 30, 1024);
        Assert.True(r.ServerPeakRssMb >= r.ServerRssHoldStartMb - 1, $"peak {r.ServerPeakRssMb} MB below a sample {r.ServerRssHoldStartMb} MB");
        // Every update cost the node and the generator some CPU; SQLite is inside the node, so no database part.
        Assert.True(r.CpuMsPerUpdate["nodes"] > 0 && r.CpuMsPerUpdate["loadgens"] > 0, string.Join(", ", r.CpuMsPerUpdate));
        Assert.False(r.CpuMsPerUpdate.ContainsKey("database"));
    }

    [Fact]
    public async Task AStagedDeltaRolloutReachesEveryDeviceThroughItsThreeGroups()
    {
        string root = Path.Combine(Path.GetTempPath(), "load-test-" + Guid.NewGuid().ToString("N"));
        FleetLoadTest.Report r = await FleetLoadTest.RunAsync(root, 40, holdSeconds: 0, Path.Combine(root, "states"), output.WriteLine, default,
            deltaFraction: 0.05, deltaGroups: Protos.V1.Percent.Groups("5%,25%,100%", "--groups"));
        FleetLoadTest.DeltaReport delta = r.Delta!;
        Assert.Equal((40, 3), (delta.Applied, delta.Groups));
        Assert.True(r.Errors == 0, string.Join("\n", r.FirstErrors));
    }

    [Fact]
    public async Task DevicesPacedAtAConnectRateConnectNoFasterThanItAndAllApply()
    {
        string root = Path.Combine(Path.GetTempPath(), "load-test-" + Guid.NewGuid().ToString("N"));
        FleetLoadTest.Report r = await FleetLoadTest.RunAsync(root, 40, holdSeconds: 0, Path.Combine(root, "states"), output.WriteLine, default, connectRate: 16);
        // The 40th device starts 39/16 s after the first; all at once, 40 devices connect in well under that here.
        Assert.True(r.ConnectSeconds >= 39 / 16.0, $"40 devices paced at 16/s connected in {r.ConnectSeconds:F2} s");
        Assert.Equal((16.0, 40), (r.ConnectRatePerSecond, r.Applied));
        Assert.True(r.Errors == 0, string.Join("\n", r.FirstErrors));
    }
}
