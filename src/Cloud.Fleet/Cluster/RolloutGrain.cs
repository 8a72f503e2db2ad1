using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>The cluster's one place for a rollout (<see cref="IRolloutGrain"/>).</summary>
public sealed class RolloutGrain(
    [PersistentState("rollout", FleetCluster.StorageName)] IPersistentState<RolloutGrainState> state, RolloutStore rollouts, ILogger<RolloutGrain> logger)
    : Grain, IRolloutGrain, IRemindable
{
    private const string Tick = "tick";

    private readonly RepushSchedule _repush = new();

    /// <summary>The step a start or resume asked for, due in a turn of the grain's own (<see cref="StepSoon"/>).</summary>
    private IGrainTimer? _step;

    /// <summary>Pushes of this grain still running (<see cref="PushSoon"/>).</summary>
    private int _pushing;

    /// <summary>
    /// The rollout's stages once they can open no more groups (<see cref="RolloutStore.Stages.Settled"/>): from then on
    /// they tell an ack that cannot change anything without a read of the database — most acks of a rollout (all of an
    /// unstaged one, its last group's of a staged one).
    /// </summary>
    private RolloutStore.Stages? _settled;

    private string RolloutId => this.GetPrimaryKeyString();

    public async Task Start()
    {
        // Not called for a device joining a dynamic rollout that had ended: registered but never connected, the device is
        // sent its entry when it first connects, which needs no tick.
        if (!state.State.Ticking)
        {
            state.State.Ticking = true;
            state.State.StartedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            state.State.EndedUnixMs = 0;
            await state.WriteStateAsync();
            await this.RegisterOrUpdateReminder(Tick, FleetCluster.RolloutTick, FleetCluster.RolloutTick);
        }
        StepSoon();
    }

    public async Task Finished(int group, bool rejected)
    {
        _repush.Finished();
        await StepAsync((group, rejected), pushWaiting: false);
    }

    public Task Resume()
    {
        StepSoon();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Runs the state machine and pushes every waiting device in a turn of the grain's own, after the caller has its
    /// answer: the first push of a large group takes minutes on a loaded cluster (each push builds, signs and records an
    /// update; 20,000 devices on this 2-core box), longer than a grain call may wait, and a caller that timed out tried
    /// again — each retry one more push of them all. A request while a step is due is that same step.
    /// </summary>
    private void StepSoon()
    {
        if (_step is not null) return;
        _step = this.RegisterGrainTimer(async () =>
        {
            _step?.Dispose();
            _step = null;
            await StepAsync(null, pushWaiting: true);
        }, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    /// <summary>
    /// Pushes devices (a group the state machine opened, or the devices still waiting) in a timer turn that interleaves
    /// with the grain's calls. Pushed inside the ack that opened it, a group of 18,000 held the grain for over 50 s while
    /// 4,922 acks queued behind it; pushed inside the start's step, an unstaged rollout of 20,000 held it for the whole
    /// rollout (2.6 min, 6,447 acks and the ticks queued; a 20,000-device load test each), so no ack could stop it at its
    /// error threshold until every device had been pushed. The push touches no grain state, and the acks only feed the
    /// state machine, which runs in the database under the rollout's lock.
    /// </summary>
    private void PushSoon(IReadOnlyList<string> devices, string what)
    {
        _pushing++;
        IGrainTimer? timer = null;
        timer = this.RegisterGrainTimer(async () =>
        {
            timer?.Dispose();
            var handOut = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                IReadOnlyList<string> unreachable = await GrainFactory.PushThroughNodesAsync(devices);
                logger.LogInformation("rollout {Rollout}: pushed {Devices} {What} in {Seconds:F2} s; {Unreachable} had no live stream a node or their grain knew, the nodes that did not answer were asked again",
                    RolloutId, devices.Count, what, handOut.Elapsed.TotalSeconds, unreachable.Count);
            }
            finally
            {
                _pushing--;
            }
        }, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = true });
    }

    public Task<RolloutGrainState> Describe() => Task.FromResult(state.State);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Ticks++;
        await StepAsync(null, pushWaiting: _repush.Tick());
    }

    /// <summary>
    /// Runs the state machine (after a device finished, if <paramref name="finished"/>) and pushes the devices of the groups
    /// it opened; otherwise also, if <paramref name="pushWaiting"/> and no earlier push of this grain is still running, every
    /// device still waiting in an open group: a push lost with a dead node is sent again through whichever node holds the
    /// device now (a device already busy ignores it). A rollout that ended stops ticking.
    /// </summary>
    private async Task StepAsync((int Group, bool Rejected)? finished, bool pushWaiting)
    {
        bool pushRunning = _pushing > 0;
        if (finished is { } f && _settled is { } settled && !settled.MayChange(f.Group, f.Rejected)) return;
        IReadOnlyList<string> opened = rollouts.Advance(RolloutId, finished, out RolloutStore.Stages? stages);
        if (stages is { Settled: true }) _settled = stages;
        if (opened.Count > 0)
        {
            logger.LogInformation("rollout {Rollout}: next group open, {Devices} devices", RolloutId, opened.Count);
            PushSoon(opened, "devices of the opened group");
        }
        if (finished is not null) return;
        RolloutStore.Rollout r = rollouts.Get(RolloutId);
        if (r.State is RolloutState.InProgress)
        {
            // A push still running covers the waiting devices it was given; pushing them all again beside it only
            // doubles the grain calls (a device already busy ignores a push).
            if (!pushWaiting || pushRunning) return;
            HashSet<string> justPushed = [.. opened];
            string[] waiting = [.. r.Devices.Where(d => d.Group <= r.Stages.OpenGroups && d.Outcome is UpdateOutcome.Pending or UpdateOutcome.Sent && !justPushed.Contains(d.DeviceId))
                .Select(d => d.DeviceId)];
            if (waiting.Length == 0) return;
            state.State.DevicesRepushed += waiting.Length;
            PushSoon(waiting, "waiting devices");
        }
        else if (r.State is not RolloutState.Paused && state.State.Ticking)
        {
            state.State.Ticking = false;
            state.State.EndedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await state.WriteStateAsync();
            if (await this.GetReminder(Tick) is { } reminder) await this.UnregisterReminder(reminder);
            logger.LogInformation("rollout {Rollout} ended ({State}); its reminder is removed", RolloutId, r.State);
        }
    }
}
