using EdgeSkyrmion.Tests.Support;
using EdgeSkyrmion.Harness.Reliability.Chaos;
using Xunit.Abstractions;

namespace EdgeSkyrmion.Tests.Reliability;

/// <summary>Short variants of the chaos commands: real `serve` and `edge run` processes, a few faults each.</summary>
[Collection(RealProcessCollection.Name)]
public class ChaosTests(ITestOutputHelper output)
{
    private static string Work(string name) => Path.Combine(Path.GetTempPath(), $"chaos-test-{name}-{Guid.NewGuid():N}");

    private void AssertClean(ChaosReport report, int trials)
    {
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(report));
        Assert.Equal(trials, report.Trials);
        Assert.True(report.TornStates + report.LostUpdates + report.DoubleApplied == 0, string.Join("\n", report.Failures));
    }

    [Fact]
    public async Task KillNineOfTheEdgeDuringProgrammingLosesAndRepeatsNothing()
    {
        AssertClean(await KillEdgeChaos.RunAsync(Work("kill"), 3, seed: 5, null, default), 3);
    }

    [Fact]
    public async Task CutConnectionMidUpdateCompletesOnceAfterReconnect()
    {
        AssertClean(await CutConnectionChaos.RunAsync(Work("cut"), 3, seed: 6, null, default), 3);
    }

    [Fact]
    public async Task CloudRestartedMidRolloutContinuesFromTheDatabase()
    {
        AssertClean(await RestartCloudChaos.RunAsync(Work("restart"), 1, devices: 2, seed: 7, null, default), 1);
    }
}
