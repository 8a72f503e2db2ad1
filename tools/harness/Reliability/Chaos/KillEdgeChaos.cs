using EdgeSkyrmion.Protos.V1;
using System.Diagnostics;
using System.Text.Json;
using EdgeSkyrmion.Harness.Demo;

namespace EdgeSkyrmion.Harness.Reliability.Chaos;

/// <summary>
/// kill -9 of a real `edge run` process at a random instant while it receives and programs a pushed delta, then a
/// restart: the device must recover from its journal (or never have started) and the rollout must end applied
/// exactly once. The kill instant is drawn uniformly over one measured push-and-program time.
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
            int windowMs = await fleet.WarmUpAsync(DeviceId, seed, ct).ConfigureAwait(false);

            var tally = new ChaosTally();
            for (int trial = 0; trial < trials; trial++)
            {
                ChaosFleet.DeviceState before = fleet.Inspect(DeviceId);
                ulong next = await fleet.PublishNextAsync(0.3, seed + 2 + trial, ct).ConfigureAwait(false);
                await fleet.WaitConnectedAsync(1, TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
                string rolloutId = await fleet.StartRolloutAsync(next, [DeviceId], ct).ConfigureAwait(false);
                await Task.Delay(rng.Next(0, windowMs), ct).ConfigureAwait(false);
                edge.KillHard();
                ChaosFleet.DeviceState atKill = fleet.Inspect(DeviceId);
                if (atKill.JournalPresent || atKill.Version != next) tally.FaultsInWindow++;

                var recovery = Stopwatch.StartNew();
                edge.Dispose();
                edge = fleet.StartEdge(DeviceId);
                RolloutStatus status = await fleet.Operator.WaitForRolloutAsync(rolloutId, TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
                tally.RecoverySeconds += recovery.Elapsed.TotalSeconds;
                await fleet.WaitIdleAsync(DeviceId, next, ct).ConfigureAwait(false);
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
