using EdgeSkyrmion.Protos.V1;
using System.Diagnostics;
using System.Text.Json;
using EdgeSkyrmion.Harness.Demo;

namespace EdgeSkyrmion.Harness.Reliability.Chaos;

/// <summary>
/// kill -9 of the cloud server in the middle of a rollout to several connected `edge run` processes, then a restart
/// on the same database and ports: the edges reconnect with backoff and the rollout must continue from the
/// database to every device, each applying it exactly once.
/// </summary>
public static class RestartCloudChaos
{
    public static async Task<ChaosReport> RunAsync(string root, int trials, int devices, int seed, Action<double>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var rng = new Random(seed);
        using ChaosFleet fleet = await ChaosFleet.StartAsync(root, ct).ConfigureAwait(false);
        string[] ids = [.. Enumerable.Range(0, devices).Select(i => $"chaos-wrist-{i:D2}")];
        var edges = new List<ChildProcess>();
        try
        {
            for (int i = 0; i < ids.Length; i++)
            {
                await fleet.ProvisionAsync(ids[i], 20 + i, ct).ConfigureAwait(false);
                edges.Add(fleet.StartEdge(ids[i]));
            }
            await fleet.WaitConnectedAsync(devices, TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
            await fleet.RollOutAsync(await fleet.PublishNextAsync(0.3, seed, ct).ConfigureAwait(false), ids, ct).ConfigureAwait(false);
            var warm = Stopwatch.StartNew();
            await fleet.RollOutAsync(await fleet.PublishNextAsync(0.3, seed + 1, ct).ConfigureAwait(false), ids, ct).ConfigureAwait(false);
            int windowMs = Math.Max(20, (int)warm.ElapsedMilliseconds);

            var tally = new ChaosTally();
            for (int trial = 0; trial < trials; trial++)
            {
                ChaosFleet.DeviceState[] before = [.. ids.Select(fleet.Inspect)];
                ulong next = await fleet.PublishNextAsync(0.3, seed + 2 + trial, ct).ConfigureAwait(false);
                await fleet.WaitConnectedAsync(devices, TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
                string rolloutId = await fleet.StartRolloutAsync(next, ids, ct).ConfigureAwait(false);
                await Task.Delay(rng.Next(0, windowMs), ct).ConfigureAwait(false);
                fleet.KillServer();
                if (ids.Any(d => fleet.Inspect(d).Version != next)) tally.FaultsInWindow++;

                var recovery = Stopwatch.StartNew();
                await fleet.StartServerAsync(ct).ConfigureAwait(false);
                RolloutStatus status = await fleet.Operator.WaitForRolloutAsync(rolloutId, TimeSpan.FromSeconds(120), ct).ConfigureAwait(false);
                tally.RecoverySeconds += recovery.Elapsed.TotalSeconds;
                for (int i = 0; i < ids.Length; i++)
                {
                    await fleet.WaitIdleAsync(ids[i], next, ct).ConfigureAwait(false);
                    await tally.JudgeAsync(fleet, ids[i], trial, before[i], next, status, ct).ConfigureAwait(false);
                }
                progress?.Invoke((trial + 1.0) / trials);
            }
            return tally.Report("restart-cloud", trials, devices, clock.Elapsed.TotalSeconds, "edge 0: " + edges[0].Stderr, "server: " + fleet.ServerLog);
        }
        finally
        {
            foreach (ChildProcess e in edges) e.Dispose();
        }
    }
}
