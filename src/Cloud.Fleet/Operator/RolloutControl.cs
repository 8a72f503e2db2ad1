using EdgeSkyrmion.Cloud.Fleet.Devices;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Fleet.Operator;

/// <summary>
/// Starting and steering rollouts, shared by the operator API and the console so both act the same: start (validate,
/// store, push to connected devices), pause, resume, cancel, roll back, and the status as the contract's message.
/// A refusal of the request (unknown model or device) is ArgumentException; acting on a rollout in the wrong state
/// (a stale page pausing a finished one) is InvalidOperationException naming its state. Nothing is changed then.
/// </summary>
public sealed class RolloutControl(DeviceRegistry devices, ModelCatalog catalog, RolloutStore rollouts, UpdateLog log, FleetHub hub, IHostApplicationLifetime life)
{
    /// <summary>Rolls a published version out to the listed devices (none: every registered device).</summary>
    public RolloutStatus Start(string modelId, ulong version, IReadOnlyCollection<string> deviceIds)
    {
        catalog.Get(modelId, version);
        string[] targets = deviceIds.Count > 0 ? [.. deviceIds] : [.. devices.All().Select(d => d.DeviceId)];
        foreach (string d in targets)
            if (devices.Find(d) is null) throw new ArgumentException($"unknown device {d}.");
        string id = rollouts.Create(modelId, version, targets);
        Push(targets);
        return Status(id);
    }

    public RolloutStatus Pause(string rolloutId)
    {
        rollouts.Pause(rolloutId);
        return Status(rolloutId);
    }

    public RolloutStatus Resume(string rolloutId)
    {
        rollouts.Resume(rolloutId);
        RolloutStatus status = Status(rolloutId);
        Push([.. status.Devices.Where(d => d.Outcome == UpdateOutcome.Pending).Select(d => d.DeviceId)]);
        return status;
    }

    public RolloutStatus Cancel(string rolloutId)
    {
        rollouts.Cancel(rolloutId);
        return Status(rolloutId);
    }

    /// <summary>
    /// Devices refuse an older version (replay protection), so rolling back publishes the newest version older than
    /// the rollout's as the model's next version, and rolls it out to every device that applied the rollout.
    /// </summary>
    public RolloutStatus RollBack(string rolloutId)
    {
        RolloutStore.Rollout r = rollouts.Get(rolloutId);
        string[] applied = [.. r.Devices.Where(d => d.Outcome == UpdateOutcome.Applied).Select(d => d.DeviceId)];
        if (applied.Length == 0) throw new InvalidOperationException($"rollout {rolloutId} is {Words.State(r.State)} with no device that applied it; there is nothing to roll back.");
        IReadOnlyList<ModelCatalog.Entry> versions = catalog.List(r.ModelId);
        ModelCatalog.Entry previous = versions.LastOrDefault(e => e.Version < r.Version)
            ?? throw new InvalidOperationException($"model {r.ModelId} has no version older than v{r.Version} to roll back to.");
        ModelImage image = catalog.Get(r.ModelId, previous.Version).Clone();
        image.Version = versions[^1].Version + 1;
        catalog.Publish(image);
        return Start(r.ModelId, image.Version, applied);
    }

    public RolloutStatus Status(string rolloutId)
    {
        RolloutStore.Rollout r = rollouts.Get(rolloutId);
        Dictionary<string, UpdateLog.Entry> sent = log.ForRollout(rolloutId).ToDictionary(e => e.DeviceId);
        var status = new RolloutStatus
        {
            RolloutId = r.RolloutId, ModelId = r.ModelId, Version = r.Version, State = r.State, CreatedUnixMs = r.CreatedMs,
            Pending = r.Count(UpdateOutcome.Pending), Sent = r.Count(UpdateOutcome.Sent), Applied = r.Count(UpdateOutcome.Applied), Rejected = r.Count(UpdateOutcome.Rejected),
            Cancelled = r.Count(UpdateOutcome.Cancelled),
        };
        foreach (RolloutStore.DeviceStatus d in r.Devices)
        {
            UpdateLog.Entry? u = d.UpdateId is { } id && sent.TryGetValue(d.DeviceId, out UpdateLog.Entry? e) && e.UpdateId == id ? e : null;
            status.Devices.Add(new RolloutDevice
            {
                DeviceId = d.DeviceId, Outcome = d.Outcome, UpdateId = d.UpdateId ?? "", Reason = d.Reason ?? "",
                Bytes = (uint)(u?.Bytes ?? 0), AckedUnixMs = u?.AckedMs ?? 0,
            });
        }
        return status;
    }

    public static RolloutStatus Summary(RolloutStore.Summary s) => new()
    {
        RolloutId = s.RolloutId, ModelId = s.ModelId, Version = s.Version, State = s.State, CreatedUnixMs = s.CreatedMs,
        Pending = s.Pending, Sent = s.Sent, Applied = s.Applied, Rejected = s.Rejected, Cancelled = s.Cancelled,
    };

    private void Push(string[] targets) => _ = Task.Run(() => hub.PushAllAsync(targets, life.ApplicationStopping));
}
