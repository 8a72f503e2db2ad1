using EdgeSkyrmion.Tests.Support;
using EdgeSkyrmion.Harness.Reliability.Chaos;
using Xunit.Abstractions;

namespace EdgeSkyrmion.Tests.Reliability;

/// <summary>
/// Short variants of the chaos commands: real `serve` and `edge run` processes, ten faults each aimed by the
/// trigger's schedule (six mid-programming, one at each other phase). Each test asserts that nothing was torn,
/// lost or applied twice, and that at least the stated number of faults landed in each phase it claims to cover.
/// </summary>
[Collection(RealProcessCollection.Name)]
public class ChaosTests(ITestOutputHelper output)
{
    private static string Work(string name) => Path.Combine(Path.GetTempPath(), $"chaos-test-{name}-{Guid.NewGuid():N}");

    private void AssertClean(ChaosReport report, int trials, params (FaultPhase Phase, int AtLeast)[] covered)
    {
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(report));
        Assert.Equal(trials, report.Trials);
        Assert.True(report.TornStates + report.LostUpdates + report.DoubleApplied == 0, string.Join("\n", report.Failures));
        foreach (var (phase, atLeast) in covered)
            Assert.True(report.FaultsByPhase[phase] >= atLeast, $"{report.FaultsByPhase[phase]} faults landed {phase}, wanted at least {atLeast}: {report.FaultsByPhase}");
    }

    [Fact]
    public async Task KillNineOfTheEdgeInEveryPhaseMostlyMidProgrammingLosesAndRepeatsNothing()
    {
        AssertClean(await KillEdgeChaos.RunAsync(Work("kill"), 10, seed: 5, null, default), 10,
            (FaultPhase.MidProgramming, 5), (FaultPhase.BeforeArrival, 1), (FaultPhase.ChunksArriving, 1), (FaultPhase.AfterCommitBeforeAck, 1), (FaultPhase.AfterAck, 1));
    }

    [Fact]
    public async Task CutConnectionInEveryPhaseCompletesOnceAfterReconnect()
    {
        AssertClean(await CutConnectionChaos.RunAsync(Work("cut"), 10, seed: 6, null, default), 10,
            (FaultPhase.MidProgramming, 5), (FaultPhase.BeforeArrival, 1), (FaultPhase.ChunksArriving, 1), (FaultPhase.AfterCommitBeforeAck, 1), (FaultPhase.AfterAck, 1));
    }

    [Fact]
    public async Task CloudKilledBeforeArrivalAndMidProgrammingContinuesFromTheDatabase()
    {
        // Trials 0, 2, 4 aim mid-programming at the first device, trial 1 holds the update from both devices.
        AssertClean(await RestartCloudChaos.RunAsync(Work("restart"), 5, devices: 2, seed: 7, null, default), 5,
            (FaultPhase.MidProgramming, 3), (FaultPhase.BeforeArrival, 2));
    }

    [Fact]
    public async Task ANodeKilledMidRolloutOfAThreeNodeClusterLosesNothingAndItsDevicesReconnectThroughAnother()
    {
        // The first trial strikes as the rollout starts (its later groups still closed), the second once devices applied: both sides of it are covered.
        ChaosReport r = await ClusterChaos.RunAsync(ClusterChaos.Fault.KillNode, Work("kill-node"), nodes: 3, devices: 12, trials: 2, seed: 8, output.WriteLine, null, default);
        AssertClean(r, 2, (FaultPhase.AfterAck, 2), (FaultPhase.BeforeArrival, 1));
        Assert.True(r.DevicesReconnectedElsewhere >= 1, $"no device reconnected through another node: {r.DevicesReconnectedElsewhere}");
    }

    [Fact]
    public async Task PostgreSqlRestartedMidRolloutOfAThreeNodeClusterLosesNothing()
    {
        AssertClean(await ClusterChaos.RunAsync(ClusterChaos.Fault.RestartDatabase, Work("restart-db"), nodes: 3, devices: 12, trials: 1, seed: 9, output.WriteLine, null, default), 1,
            (FaultPhase.AfterAck, 1));
    }
}
