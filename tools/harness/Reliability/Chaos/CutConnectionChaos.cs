using EdgeSkyrmion.Protos.V1;
using System.Diagnostics;
using EdgeSkyrmion.Harness.Demo;

namespace EdgeSkyrmion.Harness.Reliability.Chaos;

/// <summary>
/// The device's TCP connection reset (through the fleet's <see cref="CuttableProxy"/>, pacing the download) at an
/// instant aimed by a <see cref="FaultTrigger"/>: the edge reconnects by itself, resumes or re-receives the update
/// (or reports the version it committed meanwhile), and the rollout must end applied exactly once.
/// </summary>
public static class CutConnectionChaos
{
    private const string DeviceId = "chaos-link";

    public static async Task<ChaosReport> RunAsync(string root, int trials, int seed, Action<double>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var rng = new Random(seed);
        using ChaosFleet fleet = await ChaosFleet.StartAsync(root, ct).ConfigureAwait(false);
        await fleet.ProvisionAsync(DeviceId, 4, ct).ConfigureAwait(false);
        using ChildProcess edge = fleet.StartEdge(DeviceId);
        await fleet.WaitConnectedAsync(1, TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
        var trigger = new FaultTrigger(fleet, fleet.Proxy) { UpdateBytes = await fleet.WarmUpAsync([DeviceId], [edge], seed, ct).ConfigureAwait(false) };

        var tally = new ChaosTally();
        for (int trial = 0; trial < trials; trial++)
        {
            ChaosFleet.DeviceState before = fleet.Inspect(DeviceId);
            ulong next = await fleet.PublishNextAsync(0.3, seed + 2 + trial, ct).ConfigureAwait(false);
            await fleet.WaitConnectedAsync(1, TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
            FaultPhase aim = FaultTrigger.Schedule[trial % FaultTrigger.Schedule.Length];
            int logMark = edge.StderrLength;
            long stateMark = fleet.StateStamp(DeviceId);
            long bytesMark = fleet.Proxy.DownstreamBytes;
            trigger.Prepare(aim);
            string rolloutId = await fleet.StartRolloutAsync(next, [DeviceId], ct).ConfigureAwait(false);
            await trigger.WaitAsync(aim, DeviceId, next, edge, logMark, bytesMark, rng, ct).ConfigureAwait(false);
            fleet.Proxy.CutAll();
            // The edge keeps running: read its state at once. It reconnects after 0.2 s at the earliest, so the
            // database read next still shows whether the ack got through on the cut connection.
            ChaosFleet.Glimpse at = fleet.Glance(DeviceId, stateMark, edge, logMark);
            bool arrived = fleet.Proxy.DownstreamBytes > bytesMark;
            bool acked = await fleet.AppliedInDatabaseAsync(DeviceId, next, ct).ConfigureAwait(false) > 0;
            fleet.Proxy.Release();
            tally.Count(FaultsByPhase.Classify(at, arrived, acked));

            var recovery = Stopwatch.StartNew();
            RolloutStatus status = await fleet.WaitForRolloutAsync(rolloutId, [DeviceId], [edge], ct).ConfigureAwait(false);
            tally.RecoverySeconds += recovery.Elapsed.TotalSeconds;
            await fleet.WaitIdleAsync(DeviceId, next, [edge], ct).ConfigureAwait(false);
            await tally.JudgeAsync(fleet, DeviceId, trial, before, next, status, ct).ConfigureAwait(false);
            progress?.Invoke((trial + 1.0) / trials);
        }
        return tally.Report("cut-connection", trials, 1, clock.Elapsed.TotalSeconds, "edge: " + edge.Stderr, "server: " + fleet.ServerLog);
    }
}
