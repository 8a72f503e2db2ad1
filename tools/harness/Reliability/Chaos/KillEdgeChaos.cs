using EdgeSkyrmion.Protos.V1;
using System.Diagnostics;
using EdgeSkyrmion.Harness.Demo;

namespace EdgeSkyrmion.Harness.Reliability.Chaos;

/// <summary>
/// kill -9 of a real `edge run` process while it receives and programs a pushed delta, then a restart: the device
/// must recover from its journal (or never have started) and the rollout must end applied exactly once. Each kill
/// is aimed by a <see cref="FaultTrigger"/> (six in ten mid-programming) and judged by where it landed.
/// </summary>
public static class KillEdgeChaos
{
    private const string DeviceId = "chaos-edge";

    public static async Task<ChaosReport> RunAsync(string root, int trials, int seed, Action<double>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var rng = new Random(seed);
        using ChaosFleet fleet = await ChaosFleet.StartAsync(root, ct).ConfigureAwait(false);
        await fleet.ProvisionAsync(DeviceId, 3, ct).ConfigureAwait(false);
        ChildProcess edge = fleet.StartEdge(DeviceId);
        try
        {
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
                edge.KillHard();
                // Whatever the dead device left in the link (a held ack) dies with it.
                fleet.Proxy.CutAll();
                fleet.Proxy.Release();

                // The state directory is frozen now; once the server has dropped the session every ack that got
                // through has been processed, so the database says whether the ack arrived.
                await fleet.WaitDisconnectedAsync(ct).ConfigureAwait(false);
                bool acked = await fleet.AppliedInDatabaseAsync(DeviceId, next, ct).ConfigureAwait(false) > 0;
                tally.Count(FaultsByPhase.Classify(fleet.Glance(DeviceId, stateMark, edge, logMark), fleet.Proxy.DownstreamBytes > bytesMark, acked));

                var recovery = Stopwatch.StartNew();
                edge.Dispose();
                edge = fleet.StartEdge(DeviceId);
                RolloutStatus status = await fleet.WaitForRolloutAsync(rolloutId, [DeviceId], [edge], ct).ConfigureAwait(false);
                tally.RecoverySeconds += recovery.Elapsed.TotalSeconds;
                await fleet.WaitIdleAsync(DeviceId, next, [edge], ct).ConfigureAwait(false);
                await tally.JudgeAsync(fleet, DeviceId, trial, before, next, status, ct).ConfigureAwait(false);
                progress?.Invoke((trial + 1.0) / trials);
            }
            return tally.Report("kill-edge", trials, 1, clock.Elapsed.TotalSeconds, "edge: " + edge.Stderr, "server: " + fleet.ServerLog);
        }
        finally
        {
            edge.Dispose();
        }
    }
}
