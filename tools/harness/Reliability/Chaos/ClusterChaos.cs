using System.Diagnostics;
using EdgeSkyrmion.Harness.Cluster;
using EdgeSkyrmion.Harness.Reliability.Wearables;
using EdgeSkyrmion.Protos.V1;
using Grpc.Core;

namespace EdgeSkyrmion.Harness.Reliability.Chaos;

/// <summary>
/// Faults on a fleet cluster: N real `serve` nodes on one throwaway PostgreSQL, D simulated wearables in this
/// process (real <see cref="Edge.Runtime.EdgeDevice"/> state directories, each its own stream, given every node's
/// URL and spread over the nodes). Each trial publishes a 30 % delta and starts a staged rollout of it (10 %, 50 %,
/// 100 %; success threshold 95 %, error threshold 5 %), waits until a random share of the devices applied it (the
/// first of several trials: none, it strikes as the rollout starts), then strikes: <see cref="Fault.KillNode"/> kills -9
/// a random node and restarts it on its ports at once;
/// <see cref="Fault.RestartDatabase"/> stops PostgreSQL (every connection of every node breaks), waits, starts it.
/// The rollout must end with every device holding the new version, applied once. Each device's update is judged
/// by where the fault hit it: its state files at the instant of the fault, and whether the cluster had recorded
/// its ack by then (the ack time it stored).
/// </summary>
public static class ClusterChaos
{
    public enum Fault { KillNode, RestartDatabase }

    /// <summary>A network big enough that a rollout to a few hundred devices lasts seconds (a 30 % delta is ~7,500 synapses).</summary>
    private static readonly int[] Shape = [784, 32, 10];

    private static readonly TimeSpan DatabaseDownFor = TimeSpan.FromSeconds(3);

    public static async Task<ChaosReport> RunAsync(Fault fault, string root, int nodes, int devices, int trials, int seed, Action<string> info, Action<double>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var rng = new Random(seed);
        using ThrowawayPostgres postgres = ThrowawayPostgres.Create();
        string database = postgres.CreateDatabase("fleet");
        info($"PostgreSQL on 127.0.0.1:{postgres.Port}; starting {nodes} fleet nodes");
        using ChaosFleet fleet = await ChaosFleet.StartAsync(root, ct, Shape, tls: true, nodes, database).ConfigureAwait(false);
        string[] ids = [.. Enumerable.Range(0, devices).Select(i => $"wrist-{i:D4}")];
        var roster = new LoadGenerator.Entry[devices];
        for (int i = 0; i < devices; i++)
            roster[i] = new(ids[i], (await fleet.Operator.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = ids[i] }, cancellationToken: ct)).Token);
        byte[] key = (await fleet.Operator.Client.GetSigningKeyAsync(new GetSigningKeyRequest(), cancellationToken: ct)).PublicKeyDer.ToByteArray();

        var swarm = new LoadGenerator();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task<LoadGenerator.Summary> running = Task.Run(() => swarm.RunAsync(fleet.NodeUrls, roster, key, fleet.CaPem, fleet.Root, _ => { }, stop.Token), CancellationToken.None);
        var tally = new ChaosTally { Nodes = nodes, ReconnectedElsewhere = 0 };
        try
        {
            await fleet.WaitConnectedAsync(devices, TimeSpan.FromSeconds(120), ct).ConfigureAwait(false);
            info($"{devices} devices connected across {nodes} nodes; warm-up rollout of the full image");
            await fleet.RollOutAsync(await fleet.PublishNextAsync(0.3, seed, ct).ConfigureAwait(false), ids, [], ct).ConfigureAwait(false);

            for (int trial = 0; trial < trials; trial++)
            {
                ChaosFleet.DeviceState[] before = [.. ids.Select(fleet.Inspect)];
                ulong next = await fleet.PublishNextAsync(0.3, seed + 1 + trial, ct).ConfigureAwait(false);
                await fleet.WaitConnectedAsync(devices, TimeSpan.FromSeconds(120), ct).ConfigureAwait(false);
                long[] stateMarks = [.. ids.Select(fleet.StateStamp)];
                var staged = new StartRolloutRequest { ModelId = ChaosFleet.ModelId, Version = next, SuccessThresholdPercent = 95, ErrorThresholdPercent = 5 };
                staged.DeviceIds.Add(ids);
                staged.Groups.Add(Percent.Groups("10%,50%,100%", "groups"));
                string rolloutId = (await fleet.Operator.Client.StartRolloutAsync(staged, cancellationToken: ct)).RolloutId;

                // The first of several trials strikes as the rollout starts, while its later groups are surely closed
                // (their updates before arrival); waiting for a share applied, a small rollout's later groups can open
                // and finish between the poll that saw the share and the strike (its group hand-out takes milliseconds).
                // Drawn for every trial, so the later trials' shares stay those of the seed.
                int drawn = Math.Max(1, (int)(devices * (0.05 + 0.75 * rng.NextDouble())));
                int aim = trial == 0 && trials > 1 ? 0 : drawn;
                await UntilAppliedAsync(fleet, rolloutId, aim, info, ct).ConfigureAwait(false);
                ChaosFleet.Glimpse[] at = [.. ids.Select((d, i) => fleet.Glance(d, stateMarks[i], null, 0))];
                LoadGenerator.Welcome?[] welcomes = [.. ids.Select(swarm.LastWelcome)];
                int victim = rng.Next(nodes);
                long struckUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var recovery = Stopwatch.StartNew();
                await StrikeAsync(fault, fleet, postgres, victim, ct).ConfigureAwait(false);

                RolloutStatus status = await WaitForRolloutAsync(fleet, rolloutId, ids, ct).ConfigureAwait(false);
                tally.RecoverySeconds += recovery.Elapsed.TotalSeconds;
                if (status.State != RolloutState.Succeeded)
                    tally.Fail($"trial {trial}: rollout {rolloutId} ended {status.State} {status.StopReason} ({status.Applied} applied, {status.Rejected} rejected, {status.Pending + status.Sent} waiting)");
                var acked = status.Devices.ToDictionary(d => d.DeviceId, d => d.AckedUnixMs is > 0 && d.AckedUnixMs <= struckUnixMs, StringComparer.Ordinal);
                for (int i = 0; i < devices; i++)
                {
                    tally.Count(FaultsByPhase.Classify(at[i], bytesArrived: false, acked[ids[i]]));
                    // A device whose entry never ended applied is judged lost at once, not waited on.
                    if (status.Devices.First(d => d.DeviceId == ids[i]).Outcome == UpdateOutcome.Applied) await fleet.WaitIdleAsync(ids[i], next, [], ct).ConfigureAwait(false);
                    await tally.JudgeAsync(fleet, ids[i], trial, before[i], next, status, ct).ConfigureAwait(false);
                    LoadGenerator.Welcome? after = swarm.LastWelcome(ids[i]);
                    if (welcomes[i] is { } w && after is not null && after.Count > w.Count && after.Node != w.Node) tally.ReconnectedElsewhere++;
                }
                info($"trial {trial + 1}/{trials}: {(fault == Fault.KillNode ? $"node {victim} killed and restarted" : "database restarted")} at {aim}/{devices} applied; " +
                    $"rollout {status.State} after {recovery.Elapsed.TotalSeconds:F1} s; {tally.ReconnectedElsewhere} reconnections elsewhere so far");
                progress?.Invoke((trial + 1.0) / trials);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            // Every node's whole log, for the failures a tail cannot explain.
            string logs = Path.Combine(root, "nodes.log");
            await File.WriteAllTextAsync(logs, fleet.ServerLog, CancellationToken.None).ConfigureAwait(false);
            info($"node logs: {logs}");
        }
        LoadGenerator.Summary summary = await running.ConfigureAwait(false);
        return tally.Report(fault == Fault.KillNode ? "kill-node" : "restart-database", trials, devices, clock.Elapsed.TotalSeconds,
            $"devices: {summary.ConnectionErrors} lost connections; {string.Join("; ", summary.FirstErrors)}", fleet.ServerLog);
    }

    private static async Task StrikeAsync(Fault fault, ChaosFleet fleet, ThrowawayPostgres postgres, int victim, CancellationToken ct)
    {
        if (fault == Fault.KillNode)
        {
            fleet.KillNode(victim);
            await fleet.StartNodeAsync(victim, ct).ConfigureAwait(false);
            return;
        }
        postgres.Stop();
        await Task.Delay(DatabaseDownFor, ct).ConfigureAwait(false);
        postgres.Start();
    }

    /// <summary>
    /// Polls the rollout until <paramref name="applied"/> devices applied it, it ended, or its applied count stood
    /// still for <see cref="ChaosFleet.StallTimeout"/> (then the fault strikes anyway and the judge sees the rest).
    /// </summary>
    private static async Task UntilAppliedAsync(ChaosFleet fleet, string rolloutId, int applied, Action<string> info, CancellationToken ct)
    {
        var still = Stopwatch.StartNew();
        uint last = 0;
        while (true)
        {
            RolloutStatus s = await fleet.Operator.Client.GetRolloutAsync(new GetRolloutRequest { RolloutId = rolloutId }, cancellationToken: ct);
            if (s.Applied >= applied || s.State != RolloutState.InProgress) return;
            if (s.Applied != last)
            {
                last = s.Applied;
                still.Restart();
            }
            if (still.Elapsed > ChaosFleet.StallTimeout)
            {
                info($"rollout {rolloutId} stood at {s.Applied} applied for {ChaosFleet.StallTimeout.TotalSeconds} s before the fault");
                return;
            }
            await Task.Delay(20, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <see cref="ChaosFleet.WaitForRolloutAsync"/>, asked again while the cluster cannot answer yet (a node
    /// restarting, a database coming back): an unanswered status read is not the verdict.
    /// </summary>
    private static async Task<RolloutStatus> WaitForRolloutAsync(ChaosFleet fleet, string rolloutId, string[] ids, CancellationToken ct)
    {
        var unanswered = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await fleet.WaitForRolloutAsync(rolloutId, ids, [], ct).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown && unanswered.Elapsed < ChaosFleet.StallTimeout)
            {
                await Task.Delay(200, ct).ConfigureAwait(false);
            }
        }
    }
}
