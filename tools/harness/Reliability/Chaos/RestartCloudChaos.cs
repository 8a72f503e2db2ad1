using EdgeSkyrmion.Protos.V1;
using System.Diagnostics;
using EdgeSkyrmion.Harness.Demo;

namespace EdgeSkyrmion.Harness.Reliability.Chaos;

/// <summary>
/// kill -9 of the cloud server in the middle of a rollout to several connected `edge run` processes, then a restart
/// on the same database and ports: the edges reconnect with backoff and the rollout must continue from the
/// database to every device, each applying it exactly once. The kill is aimed by a <see cref="FaultTrigger"/> at
/// the first device's progress; every device's update is judged by where the kill hit it.
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
            // The trigger counts the proxy's bytes for all devices together, so aim inside all of their transfers.
            var trigger = new FaultTrigger(fleet, fleet.Proxy) { UpdateBytes = devices * await fleet.WarmUpAsync(ids, edges, seed, ct).ConfigureAwait(false) };

            var tally = new ChaosTally();
            for (int trial = 0; trial < trials; trial++)
            {
                ChaosFleet.DeviceState[] before = [.. ids.Select(fleet.Inspect)];
                ulong next = await fleet.PublishNextAsync(0.3, seed + 2 + trial, ct).ConfigureAwait(false);
                await fleet.WaitConnectedAsync(devices, TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
                FaultPhase aim = FaultTrigger.Schedule[trial % FaultTrigger.Schedule.Length];
                int[] logMarks = [.. edges.Select(e => e.StderrLength)];
                long[] stateMarks = [.. ids.Select(fleet.StateStamp)];
                trigger.Prepare(aim);
                string rolloutId = await fleet.StartRolloutAsync(next, ids, ct).ConfigureAwait(false);
                await trigger.WaitAsync(aim, ids[0], next, edges[0], logMarks[0], fleet.Proxy.DownstreamBytes, rng, ct).ConfigureAwait(false);
                // The database is out of reach once the server is dead, and the edges go on programming while it
                // dies: read the acks, then glance at every device, then kill.
                bool[] acked = new bool[devices];
                for (int i = 0; i < devices; i++) acked[i] = await fleet.AppliedInDatabaseAsync(ids[i], next, ct).ConfigureAwait(false) > 0;
                ChaosFleet.Glimpse[] at = [.. ids.Select((d, i) => fleet.Glance(d, stateMarks[i], edges[i], logMarks[i]))];
                fleet.KillServer();
                fleet.Proxy.CutAll();
                fleet.Proxy.Release();
                // The proxy's byte count mixes all devices' connections; each device's arrival is its own chunk line.
                for (int i = 0; i < devices; i++) tally.Count(FaultsByPhase.Classify(at[i], bytesArrived: false, acked[i]));

                var recovery = Stopwatch.StartNew();
                await fleet.StartServerAsync(ct).ConfigureAwait(false);
                RolloutStatus status = await fleet.WaitForRolloutAsync(rolloutId, ids, edges, ct).ConfigureAwait(false);
                tally.RecoverySeconds += recovery.Elapsed.TotalSeconds;
                for (int i = 0; i < ids.Length; i++)
                {
                    await fleet.WaitIdleAsync(ids[i], next, edges, ct).ConfigureAwait(false);
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
