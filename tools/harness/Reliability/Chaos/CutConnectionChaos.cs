using EdgeSkyrmion.Protos.V1;
using System.Diagnostics;
using System.Text.Json;
using EdgeSkyrmion.Harness.Demo;

namespace EdgeSkyrmion.Harness.Reliability.Chaos;

/// <summary>
/// The device's TCP connection reset at a random instant while a delta is on the wire or being programmed (through
/// a <see cref="CuttableProxy"/> pacing the download): the edge reconnects by itself, resumes or re-receives the
/// update, and the rollout must end applied exactly once.
/// </summary>
public static class CutConnectionChaos
{
    private const string DeviceId = "chaos-link";
    private const double DownstreamBytesPerSecond = 256 * 1024;

    public static async Task<ChaosReport> RunAsync(string root, int trials, int seed, Action<double>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var rng = new Random(seed);
        using ChaosFleet fleet = await ChaosFleet.StartAsync(root, ct).ConfigureAwait(false);
        using var proxy = new CuttableProxy(fleet.Grpc, DownstreamBytesPerSecond);
        await fleet.ProvisionAsync(DeviceId, 4, ct).ConfigureAwait(false);
        using ChildProcess edge = fleet.StartEdge(DeviceId, proxy.Url);
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
            proxy.CutAll();
            if (fleet.Inspect(DeviceId).Version != next) tally.FaultsInWindow++;

            var recovery = Stopwatch.StartNew();
            RolloutStatus status = await fleet.Operator.WaitForRolloutAsync(rolloutId, TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
            tally.RecoverySeconds += recovery.Elapsed.TotalSeconds;
            await fleet.WaitIdleAsync(DeviceId, next, ct).ConfigureAwait(false);
            await tally.JudgeAsync(fleet, DeviceId, trial, before, next, status, ct).ConfigureAwait(false);
            progress?.Invoke((trial + 1.0) / trials);
        }
        return tally.Report("cut-connection", trials, 1, clock.Elapsed.TotalSeconds, "edge: " + edge.Stderr, "server: " + fleet.ServerLog);
    }
}
