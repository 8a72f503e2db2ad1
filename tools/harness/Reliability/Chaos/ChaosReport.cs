using EdgeSkyrmion.Protos.V1;
using System.Text.Json;

namespace EdgeSkyrmion.Harness.Reliability.Chaos;

/// <summary>
/// The outcome of a chaos run. Torn: a device whose committed state is not exactly one published version. Lost: a
/// rollout entry that did not end applied (or a device not holding the version) after recovery. Double-applied: a
/// device whose updates_applied counter, or the fleet database, counts one update more than once.
/// FaultsByPhase: each device's update per fault, counted by where the fault hit it (<see cref="FaultPhase"/>).
/// On a cluster: the nodes, and how many devices a node's death made reconnect through another node.
/// </summary>
public sealed record ChaosReport(string Scenario, int Trials, int Devices, int TornStates, int LostUpdates, int DoubleApplied,
    FaultsByPhase FaultsByPhase, double MeanRecoverySeconds, double Seconds, IReadOnlyList<string> Failures, int? Nodes = null, int? DevicesReconnectedElsewhere = null);

/// <summary>Judges each device after each fault and adds up the verdicts into a <see cref="ChaosReport"/>.</summary>
public sealed class ChaosTally
{
    private readonly List<string> _failures = [];
    private readonly int[] _phases = new int[Enum.GetValues<FaultPhase>().Length];
    private int _torn, _lost, _doubled;

    public double RecoverySeconds { get; set; }

    /// <summary>Devices that reconnected through another node after a fault (cluster scenarios; null elsewhere).</summary>
    public int? ReconnectedElsewhere { get; set; }

    /// <summary>The cluster's nodes (null for a single server).</summary>
    public int? Nodes { get; set; }

    /// <summary>Counts one device's update hit by a fault in <paramref name="phase"/>.</summary>
    public void Count(FaultPhase phase) => _phases[(int)phase]++;

    public async Task JudgeAsync(ChaosFleet fleet, string deviceId, int trial, ChaosFleet.DeviceState before, ulong next, RolloutStatus rollout, CancellationToken ct)
    {
        ChaosFleet.DeviceState after = fleet.Inspect(deviceId);
        int appliedInDb = await fleet.AppliedInDatabaseAsync(deviceId, next, ct).ConfigureAwait(false);
        UpdateOutcome entry = rollout.Devices.First(d => d.DeviceId == deviceId).Outcome;
        if (after.Torn)
        {
            _torn++;
            _failures.Add($"trial {trial} {deviceId}: torn state at v{after.Version}");
        }
        if (entry != UpdateOutcome.Applied || after.Version != next)
        {
            _lost++;
            _failures.Add($"trial {trial} {deviceId}: rollout entry {entry}, the device holds v{after.Version}, wanted v{next}");
        }
        if (after.UpdatesApplied - before.UpdatesApplied > 1 || appliedInDb > 1)
        {
            _doubled++;
            _failures.Add($"trial {trial} {deviceId}: updates_applied {before.UpdatesApplied}→{after.UpdatesApplied}, {appliedInDb} applied in the database");
        }
    }

    public ChaosReport Report(string scenario, int trials, int devices, double seconds, params string[] logTails) =>
        new(scenario, trials, devices, _torn, _lost, _doubled, FaultsByPhase.From(_phases), RecoverySeconds / Math.Max(1, trials), seconds,
            _failures.Count == 0 ? [] : [.. _failures, .. logTails.Select(t => t.Length <= 1500 ? t : t[^1500..])], Nodes, ReconnectedElsewhere);

    /// <summary>Adds a failure that is not one device's verdict (a rollout stopped with a reason, a node that would not start).</summary>
    public void Fail(string failure) => _failures.Add(failure);
}
