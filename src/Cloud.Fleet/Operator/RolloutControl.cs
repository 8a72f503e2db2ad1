using EdgeSkyrmion.Cloud.Fleet.Cluster;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Cloud.Fleet.Rollouts;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Fleet.Operator;

/// <summary>
/// Starting and steering rollouts, shared by the operator API and the console so both act the same: start (validate,
/// plan the groups, store, push to the connected devices of the first group), pause, resume, cancel, roll back, and the
/// status as the contract's message, per group and per device.
/// A refusal of the request (unknown model or device) is ArgumentException; acting on a rollout in the wrong state
/// (a stale page pausing a finished one) is InvalidOperationException naming its state. Nothing is changed then.
/// Pushing is the rollout grain's (<see cref="IRolloutGrain"/>): it reaches devices on every node and keeps at it.
/// </summary>
public sealed class RolloutControl(DeviceRegistry devices, ModelCatalog catalog, RolloutStore rollouts, UpdateLog log, IGrainFactory grains, IHostApplicationLifetime life,
    ILogger<RolloutControl> logger) : IDisposable
{
    // Cancelled when the host stops or, for a host disposed without stopping, when the container disposes this: a
    // rollout not yet handed over is picked up by the next start (every staged rollout is driven at start). Cancelled,
    // never disposed: a request still in flight at disposal may call Drive, which then returns at once.
    private readonly CancellationTokenSource _stopping = CancellationTokenSource.CreateLinkedTokenSource(life.ApplicationStopping);

    public void Dispose() => _stopping.Cancel();

    /// <summary>
    /// Hands a stored rollout to its grain (start ticking, or resume) without holding up the caller. While the cluster
    /// cannot answer — a node starting or just dead — the call is tried again, up to a minute: a rollout whose grain never
    /// heard of it would wait for ever, since its reminder is what keeps it going. Stops trying once this node stops.
    /// </summary>
    public void Drive(string rolloutId, Func<IRolloutGrain, Task> call)
    {
        CancellationToken stopping = _stopping.Token;
        _ = Task.Run(() => DriveAsync(rolloutId, call, stopping), CancellationToken.None);
    }

    private async Task DriveAsync(string rolloutId, Func<IRolloutGrain, Task> call, CancellationToken stopping)
    {
        for (int attempt = 1; attempt <= 30; attempt++)
        {
            try
            {
                await call(grains.GetGrain<IRolloutGrain>(rolloutId)).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (Devices.FleetHub.IsClusterFault(e) && !stopping.IsCancellationRequested)
            {
                logger.LogWarning("rollout {Rollout}: its grain is out of reach ({Message}); trying again in 2 s", rolloutId, e.Message);
            }
            catch (Exception e) when (Devices.FleetHub.IsClusterFault(e))
            {
                return;
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        logger.LogError("rollout {Rollout}: its grain stayed out of reach for a minute; pause and resume the rollout to hand it over again", rolloutId);
    }

    /// <summary>Rolls a published version out to the listed devices (none: every registered device), in one group.</summary>
    public RolloutStatus Start(string modelId, ulong version, IReadOnlyCollection<string> deviceIds) => Start(modelId, version, deviceIds, [], null, null, false);

    /// <summary>
    /// Rolls a published version out in stages (<see cref="RolloutPlan.Create"/> says what the groups and thresholds
    /// may be). Percent groups split the listed devices, or every registered device in id order; explicit groups are
    /// the targets themselves. Everything is checked before anything is stored.
    /// </summary>
    public RolloutStatus Start(string modelId, ulong version, IReadOnlyCollection<string> deviceIds, IReadOnlyList<RolloutPlan.GroupSpec> groups,
        double? successThresholdPercent, double? errorThresholdPercent, bool dynamic)
    {
        catalog.Get(modelId, version);
        bool listed = groups.Count > 0 && groups[0].Percent is null;
        if (listed && deviceIds.Count > 0) throw new ArgumentException("give the devices in the groups or as the rollout's device list, not both.");
        if (dynamic && deviceIds.Count > 0) throw new ArgumentException("dynamic: a dynamic rollout goes to every registered device (and those registered later); leave out the device list.");
        bool everyDevice = deviceIds.Count == 0 && !listed;
        string[] targets = deviceIds.Count > 0 ? [.. deviceIds.Distinct()] : everyDevice ? [.. devices.All().Select(d => d.DeviceId)] : [];
        RolloutPlan plan = RolloutPlan.Create(targets, groups, successThresholdPercent, errorThresholdPercent, dynamic);
        // The operator's own lists are checked; every registered device needs no check (a read per device: 20,000 for a whole fleet).
        if (!everyDevice)
            foreach (string d in plan.Groups.SelectMany(g => g))
                if (devices.Find(d) is null) throw new ArgumentException($"unknown device {d}.");
        string id = rollouts.Create(modelId, version, plan);
        // A success threshold of 0 % opens the next group at once, before the status is read; nobody else knows the rollout yet.
        rollouts.Advance(id);
        Drive(id, g => g.Start());
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
        Drive(rolloutId, g => g.Resume());
        return Status(rolloutId);
    }

    public RolloutStatus Cancel(string rolloutId)
    {
        rollouts.Cancel(rolloutId);
        return Status(rolloutId);
    }

    /// <summary>
    /// Rolls back a rollout: every device that applied it, or has it in flight, goes back to the newest version older
    /// than the rollout's. A rollout still running is cancelled first, so the version rolled back reaches no one else.
    /// </summary>
    public RolloutStatus RollBack(string rolloutId)
    {
        RolloutStore.Rollout r = rollouts.Get(rolloutId);
        // A device whose update is in flight gets the rollback after it, whichever way that update ends.
        string[] reached = [.. r.Devices.Where(d => d.Outcome is UpdateOutcome.Applied or UpdateOutcome.Sent).Select(d => d.DeviceId)];
        if (reached.Length == 0) throw new InvalidOperationException($"rollout {rolloutId} is {Words.State(r.State)} with no device that applied it; there is nothing to roll back.");
        IReadOnlyList<ModelCatalog.Entry> versions = catalog.List(r.ModelId);
        ModelCatalog.Entry previous = versions.LastOrDefault(e => e.Version < r.Version)
            ?? throw new InvalidOperationException($"model {r.ModelId} has no version older than v{r.Version} to roll back to.");
        if (r.State is RolloutState.InProgress or RolloutState.Paused) rollouts.Cancel(rolloutId);
        return Republish(r.ModelId, previous.Version, versions, reached);
    }

    /// <summary>
    /// Devices refuse an older version (replay protection), so rolling back to <paramref name="toVersion"/> publishes
    /// that version's image as the model's next version and rolls it out, each device getting a signed delta from what
    /// it holds, to the listed devices (none: every device holding the model at a newer version). A version the catalog
    /// does not hold, a listed device that holds no newer version of the model, or no device to take it, is refused
    /// before anything is published.
    /// </summary>
    public RolloutStatus RollBackTo(string modelId, ulong toVersion, IReadOnlyCollection<string> deviceIds)
    {
        IReadOnlyList<ModelCatalog.Entry> versions = catalog.List(modelId);
        if (versions.Count == 0) throw new ArgumentException($"model {modelId} is not published.");
        if (!versions.Any(v => v.Version == toVersion))
            throw new ArgumentException($"model {modelId} v{toVersion} is not in the catalog (it holds {string.Join(", ", versions.Select(v => "v" + v.Version))}); there is nothing to roll back to.");
        foreach (string d in deviceIds)
        {
            DeviceRegistry.Device device = devices.Find(d) ?? throw new ArgumentException($"unknown device {d}.");
            if (device.ModelId != modelId || device.ModelVersion <= toVersion)
                throw new ArgumentException($"device {d} holds {(device.ModelVersion == 0 ? "no model" : $"{device.ModelId} v{device.ModelVersion}")}, "
                    + $"not a version of {modelId} newer than v{toVersion}; there is nothing to roll back.");
        }
        string[] targets = deviceIds.Count > 0 ? [.. deviceIds]
            : [.. devices.All().Where(d => d.ModelId == modelId && d.ModelVersion > toVersion).Select(d => d.DeviceId)];
        if (targets.Length == 0) throw new InvalidOperationException($"no device holds model {modelId} at a version newer than v{toVersion}; there is nothing to roll back.");
        return Republish(modelId, toVersion, versions, targets);
    }

    /// <summary>
    /// Publishes <paramref name="toVersion"/>'s image as the model's next version (after the newest of
    /// <paramref name="versions"/>, the catalog's list the caller read) and rolls it out to <paramref name="targets"/>.
    /// </summary>
    private RolloutStatus Republish(string modelId, ulong toVersion, IReadOnlyList<ModelCatalog.Entry> versions, string[] targets)
    {
        ModelImage image = catalog.Get(modelId, toVersion).Clone();
        image.Version = versions[^1].Version + 1;
        catalog.Publish(image);
        return Start(modelId, image.Version, targets);
    }

    /// <summary>
    /// A rollout's counts, groups and (unless <paramref name="summary"/>) every device's outcome; the summary is counted
    /// in the database, so polling it costs the same for ten devices or a million.
    /// </summary>
    public RolloutStatus Status(string rolloutId, bool summary = false)
    {
        if (summary)
        {
            RolloutStore.Progress p = rollouts.GetProgress(rolloutId);
            return Head(p.RolloutId, p.ModelId, p.Version, p.State, p.CreatedMs, p.Stages, p.Count, g => p.Groups[g - 1]);
        }
        RolloutStore.Rollout r = rollouts.Get(rolloutId);
        Dictionary<string, UpdateLog.Entry> sent = log.ForRollout(rolloutId).ToDictionary(e => e.DeviceId);
        RolloutStatus status = Head(r.RolloutId, r.ModelId, r.Version, r.State, r.CreatedMs, r.Stages, r.Count, r.GroupCounts);
        foreach (RolloutStore.DeviceStatus d in r.Devices)
        {
            UpdateLog.Entry? u = d.UpdateId is { } id && sent.TryGetValue(d.DeviceId, out UpdateLog.Entry? e) && e.UpdateId == id ? e : null;
            status.Devices.Add(new RolloutDevice
            {
                DeviceId = d.DeviceId, Outcome = d.Outcome, UpdateId = d.UpdateId ?? "", Reason = d.Reason ?? "",
                Bytes = (uint)(u?.Bytes ?? 0), AckedUnixMs = u?.AckedMs ?? 0, Group = (uint)d.Group,
            });
        }
        return status;
    }

    private static RolloutStatus Head(string rolloutId, string modelId, ulong version, RolloutState state, long createdMs, RolloutStore.Stages stages,
        Func<UpdateOutcome, uint> count, Func<int, RolloutStages.Counts> groupCounts)
    {
        var status = new RolloutStatus
        {
            RolloutId = rolloutId, ModelId = modelId, Version = version, State = state, CreatedUnixMs = createdMs,
            Pending = count(UpdateOutcome.Pending), Sent = count(UpdateOutcome.Sent), Applied = count(UpdateOutcome.Applied), Rejected = count(UpdateOutcome.Rejected),
            Cancelled = count(UpdateOutcome.Cancelled), Superseded = count(UpdateOutcome.Superseded), SuccessThresholdPercent = stages.SuccessThresholdPercent, ErrorThresholdPercent = stages.ErrorThresholdPercent,
            Dynamic = stages.Dynamic, StopReason = stages.StopReason ?? "",
        };
        for (int g = 1; g <= stages.Groups; g++)
        {
            RolloutStages.Counts c = groupCounts(g);
            status.Groups.Add(new RolloutGroup
            {
                Group = (uint)g, State = RolloutStages.StateOf(stages.SuccessThresholdPercent, stages.ErrorThresholdPercent, g <= stages.OpenGroups, c),
                Devices = c.Devices, Pending = c.Pending, Sent = c.Sent, Applied = c.Applied, Rejected = c.Rejected, Cancelled = c.Cancelled, Superseded = c.Superseded,
            });
        }
        return status;
    }

    public static RolloutStatus Summary(RolloutStore.Summary s) => new()
    {
        RolloutId = s.RolloutId, ModelId = s.ModelId, Version = s.Version, State = s.State, CreatedUnixMs = s.CreatedMs,
        Pending = s.Pending, Sent = s.Sent, Applied = s.Applied, Rejected = s.Rejected, Cancelled = s.Cancelled, Superseded = s.Superseded,
    };
}
