using EdgeSkyrmion.Cloud.Fleet.Cluster;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Cloud.Fleet.Updates;
using EdgeSkyrmion.Cloud.Updates;
using System.Collections.Concurrent;
using System.Data.Common;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;
using Grpc.Core;

namespace EdgeSkyrmion.Cloud.Fleet.Devices;

/// <summary>
/// The cloud's view of connected devices and the push logic shared by the gRPC stream and the HTTP/1.1 endpoints:
/// for a device, take its oldest unfinished rollout entry, build (or resume) the update that takes it from what it
/// holds to that version, send it, and on the ack record the outcome and move to the next entry. One update per
/// device is in flight at a time; all state is in the database, so a restarted server continues where it was.
/// In the cluster this is one node's part: the device's grain (<see cref="IDeviceGrain"/>) knows which node holds the
/// device's one live stream and grants its in-flight slot, pushes for a device go through its grain to that node (this
/// class is the node's <see cref="IDeviceConnections"/>), and a finished device goes to its rollout's grain
/// (<see cref="IRolloutGrain"/>), whose state machine opens the next group.
/// </summary>
public sealed class FleetHub : IDeviceConnections
{
    private readonly FleetDatabase db;
    private readonly GroupCommit commits;
    private readonly DeviceRegistry devices;
    private readonly ModelCatalog catalog;
    private readonly UpdateLog log;
    private readonly UpdateBuilder builder;
    private readonly KeyRing keys;
    private readonly IHostApplicationLifetime life;
    private readonly ILogger<FleetHub> logger;
    private readonly IGrainFactory grains;
    private readonly string node;
    private readonly Lazy<IDeviceConnections> self;

    public FleetHub(FleetDatabase db, GroupCommit commits, DeviceRegistry devices, ModelCatalog catalog, UpdateLog log, UpdateBuilder builder, KeyRing keys, IHostApplicationLifetime life,
        ILogger<FleetHub> logger, IGrainFactory grains, ServerIdentity identity)
    {
        (this.db, this.commits) = (db, commits);
        (this.devices, this.catalog, this.log, this.builder, this.keys, this.life, this.logger) = (devices, catalog, log, builder, keys, life, logger);
        (this.grains, node) = (grains, identity.ServerId);
        // Made on first use (the silo is running by then); the hub lives as long as the node, so the reference stays valid.
        self = new Lazy<IDeviceConnections>(() => grains.CreateObjectReference<IDeviceConnections>(this));
        // A rotation or revocation reaches connected devices at once, before any update signed under it.
        keys.Installed += delegation => _ = Task.Run(() => BroadcastAsync(new CloudMessage { Delegation = delegation }));
    }

    /// <summary>
    /// An update on its way to a device, with what the device will hold once it applies it: the image and the device
    /// preset it is recorded with (its own registered preset, else the image's).
    /// </summary>
    public sealed record InFlight(string UpdateId, string RolloutId, string ModelId, ulong Version, byte[] ImageSha256, string Preset, byte[] SignedBytes);

    private static string PresetOf(DeviceRegistry.Device? device, ModelImage target) => device?.Preset is { Length: > 0 } p ? p : target.PresetName;

    /// <param name="aborted">Cancelled when the device's stream goes away (the call's own cancellation).</param>
    public sealed class Session(string deviceId, IAsyncStreamWriter<CloudMessage> writer, CancellationToken aborted = default)
    {
        private readonly CancellationTokenSource _cut = new();

        public string DeviceId { get; } = deviceId;
        public IAsyncStreamWriter<CloudMessage> Writer { get; } = writer;
        public Hello? Hello { get; set; }

        /// <summary>This node's number for the stream, which the device grain holds to tell it from a newer one.</summary>
        public long Number { get; set; }

        /// <summary>When the stream opened (Unix ms): of two streams of a device on two nodes, the newer is the live one.</summary>
        public long OpenedUnixMs { get; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        /// <summary>Cancelled when the server ends the session (<see cref="EndReason"/> says why).</summary>
        public CancellationToken Cut => _cut.Token;

        /// <summary>
        /// Cancelled when the device's stream goes away. A push runs under this and <see cref="Cut"/>, whoever asked for
        /// it: an ack that arrived on an older stream of the device, whose own cancellation must not cut a push on this one.
        /// </summary>
        public CancellationToken Aborted { get; } = aborted;

        /// <summary>Serializes the writes on the stream (gRPC allows one at a time) and its pushes (one update in flight).</summary>
        internal SemaphoreSlim Gate { get; } = new(1, 1);

        public string? EndReason { get; private set; }

        /// <summary>Ended because the device's credentials no longer hold (else: a newer stream replaced it).</summary>
        public bool Refused { get; private set; }

        private bool _resumeTaken;

        /// <summary>
        /// The chunk to start <paramref name="updateId"/> at: where the Hello said the device's partial transfer stands,
        /// the first time and only inside the update's <paramref name="chunks"/>; else 0. A second push on the stream
        /// finds the device further on than its Hello said, and a device asks one past the end when it was killed after
        /// storing the last chunk: both start afresh, which the device takes (chunk 0 always begins a transfer anew).
        /// </summary>
        public int ResumeAt(string updateId, int chunks)
        {
            bool resume = !_resumeTaken && Hello is { } h && h.PartialUpdateId == updateId && h.NextChunk < chunks;
            _resumeTaken = true;
            return resume ? (int)Hello!.NextChunk : 0;
        }

        public void End(string reason, bool refused)
        {
            if (EndReason is null) (EndReason, Refused) = (reason, refused);
            _cut.Cancel();
        }
    }

    private readonly DeviceStreams _streams = new();
    private readonly ConcurrentDictionary<string, Sending> _inFlight = new();

    /// <summary>
    /// One push's hold on its device's in-flight slot on this node, compared by reference: two pushes may carry the same
    /// update (the second found the first's in flight), and a push that fails gives back only its own hold.
    /// </summary>
    private sealed class Sending(InFlight update)
    {
        public InFlight Update { get; } = update;
    }

    /// <summary>
    /// Updates preparing at once on this node (pushes on streams and constrained devices' polls), one a core; the rest
    /// wait without a thread. Preparing is synchronous database work on a thread-pool thread: a rollout's first push of
    /// thousands of devices, or thousands of devices polling at once, would otherwise hold as
    /// many threads on the database at once, and the acks, the silo's own messages and Kestrel's reads would wait
    /// behind them. Two a core cost PostgreSQL a third more CPU per update (docs/fleet.md, the load test's CPU per update).
    /// </summary>
    private readonly SemaphoreSlim _preparing = new(PrepareSlots, PrepareSlots);

    private static readonly int PrepareSlots = Environment.ProcessorCount;

    public int Connected => _streams.Count;

    /// <summary>Devices with an update in flight on this node.</summary>
    internal int UpdatesInFlight => _inFlight.Count;

    /// <summary>Whether the device has a live stream on any node of the cluster.</summary>
    public async Task<bool> IsConnectedAsync(string deviceId) => await grains.GetGrain<IDeviceGrain>(deviceId).LiveNode().ConfigureAwait(false) is not null;

    /// <summary>
    /// A new stream starts from what its Hello says: an update in flight on a stream that died (device killed, link
    /// cut) is forgotten here and re-prepared — resumed, re-sent, or marked applied when the device already holds it.
    /// </summary>
    /// <remarks>
    /// An older stream of the device on this node is closed here at once; the device's grain then closes any it still
    /// has on another node: a device that connects to two nodes at once is served by the newer stream. Returns the node
    /// that held the previous one (null: none). Whether it returns or throws (the grain out of reach), the caller ends the
    /// session with <see cref="Detach"/>.
    /// </remarks>
    public async Task<string?> AttachAsync(Session session)
    {
        if (_streams.Open(session) is { } older) older.End(DeviceGrain.ReplacedReason(session.DeviceId, node, node), refused: false);
        // Opened second of two at once, or replaced already: the newer is the device's stream (its update in flight
        // stays), and the grain must not hear of this one after it (it could take it for the device's latest over a
        // stream on another node).
        if (!_streams.IsCurrent(session)) return node;
        _inFlight.TryRemove(session.DeviceId, out _);
        IDeviceGrain grain = grains.GetGrain<IDeviceGrain>(session.DeviceId);
        string? previous = await grain.Attach(self.Value, node, session.Number, session.OpenedUnixMs).ConfigureAwait(false);
        // Replaced or ended while the grain heard of it: the grain, which may have taken it as live, must let it go.
        if (!_streams.IsCurrent(session)) await grain.Detach(node, session.Number).ConfigureAwait(false);
        return previous;
    }

    /// <summary>Registers this node in the cluster's node directory (at start, periodically, after a silo's death).</summary>
    public Task RegisterNodeAsync() => grains.GetGrain<INodeDirectory>(0).Register(node, self.Value);

    /// <summary>
    /// After a silo's death: tells every connected device's grain again that this node holds its stream (grains that
    /// lived on the dead silo come back knowing none), then pushes each device its next update, so an update whose
    /// push died with the silo goes out now instead of waiting.
    /// </summary>
    public Task ReannounceAsync(CancellationToken ct) => AnnounceAsync([.. _streams.All], ct);

    Task IDeviceConnections.Sweep(string[] deviceIds)
    {
        TakeUp(deviceIds);
        return Task.CompletedTask;
    }

    /// <remarks>Returns as soon as the announcements are started, as <see cref="IDeviceConnections.Push"/> does, for the same reason.</remarks>
    Task<string[]> IDeviceConnections.PushHeld(string[] deviceIds) => Task.FromResult(TakeUp(deviceIds));

    /// <summary>
    /// Announces the streams this node holds of these devices to their grains and pushes each its next update
    /// (<see cref="AnnounceAsync"/>, in the background); returns the devices held. Told again, a grain activated afresh
    /// after a silo's death learns the stream: pushed without it, the grain refused every push of a stream it did not
    /// know, and the rollout stalled (the cluster chaos test, a node killed as its rollout started).
    /// </summary>
    private string[] TakeUp(string[] deviceIds)
    {
        Session[] held = [.. deviceIds.Select(_streams.Of).OfType<Session>()];
        if (held.Length > 0) _ = AnnounceAsync(held, life.ApplicationStopping);
        return [.. held.Select(s => s.DeviceId)];
    }

    /// <summary>
    /// Tells these sessions' grains that this node holds them and pushes each its next update. Calls that still reach
    /// a dead silo (the cluster's directory learns of a death gradually) fail; those devices are tried again, up to
    /// five rounds two seconds apart.
    /// </summary>
    private async Task AnnounceAsync(Session[] open, CancellationToken ct)
    {
        for (int round = 1; round <= 5 && open.Length > 0; round++)
        {
            var failed = new ConcurrentBag<Session>();
            await Parallel.ForEachAsync(open, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (s, _) =>
            {
                try
                {
                    await grains.GetGrain<IDeviceGrain>(s.DeviceId).Reattach(self.Value, node, s.Number, s.OpenedUnixMs).ConfigureAwait(false);
                }
                catch (Exception e) when (IsClusterFault(e))
                {
                    failed.Add(s);
                    return;
                }
                await PushNextAsync(s.DeviceId).ConfigureAwait(false);
            }).ConfigureAwait(false);
            logger.LogInformation("announced {Done} of {Devices} device streams to their grains (round {Round})", open.Length - failed.Count, open.Length, round);
            open = [.. failed.Where(_streams.IsCurrent)];
            if (open.Length > 0) await Task.Delay(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
        }
        if (open.Length > 0) logger.LogWarning("{Devices} device streams could not be announced; their rollouts' ticks try again", open.Length);
    }

    /// <summary>A grain call that failed because a silo is dead or unreachable (the cluster heals; retrying later works).</summary>
    public static bool IsClusterFault(Exception e) => e is OrleansException or TimeoutException;

    /// <summary>Ends the device's open stream, on whichever node holds it (its credentials no longer hold).</summary>
    public Task DisconnectAsync(string deviceId, string reason) => grains.GetGrain<IDeviceGrain>(deviceId).Disconnect(reason);

    public void Detach(Session session)
    {
        if (_streams.Remove(session))
        {
            // The update in flight went with the stream: kept, it would hold its signed bytes (megabytes for a full
            // image) until the device came back to this node, and hold back the push of the stream it comes back on.
            _inFlight.TryRemove(session.DeviceId, out _);
            _ = grains.GetGrain<IDeviceGrain>(session.DeviceId).Detach(node, session.Number);
        }
    }

    /// <remarks>
    /// The session is forgotten here at once, not only when its call ends: pushes and re-announcements must not pick up
    /// a stream the device's grain has let go of.
    /// </remarks>
    Task IDeviceConnections.Close(string deviceId, long session, string reason, bool refused)
    {
        if (_streams.Numbered(deviceId, session) is not { } s) return Task.CompletedTask;
        s.End(reason, refused);
        // Its update in flight goes with it, as in Detach (which finds it removed already).
        if (_streams.Remove(s)) _inFlight.TryRemove(deviceId, out _);
        return Task.CompletedTask;
    }

    /// <remarks>
    /// Orleans runs this object's calls one at a time, each to its first wait; preparing an update (reading the device's
    /// next entry, building, signing and recording it) is synchronous database work before that wait, so the push goes
    /// to the thread pool, where <see cref="_preparing"/> bounds it, and the call returns at once. Run inline, a node's
    /// pushes were prepared one after another, and its closes and sweeps queued behind them.
    /// </remarks>
    Task IDeviceConnections.Push(string deviceId)
    {
        PushNextInBackground(deviceId);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A push not waited for: a grain's call returns at once, and an ack's stream (or HTTP request) does not wait on the
    /// device's push, which goes to its newest stream and may take seconds.
    /// </summary>
    private void PushNextInBackground(string deviceId) => _ = Task.Run(() => PushNextAsync(deviceId));

    /// <summary>Writes one message on a session's stream; writes on one stream are serialized with its pushes.</summary>
    public async Task SendAsync(Session session, CloudMessage message, CancellationToken ct)
    {
        await session.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await session.Writer.WriteAsync(message, ct).ConfigureAwait(false);
        }
        finally
        {
            session.Gate.Release();
        }
    }

    private Task BroadcastAsync(CloudMessage message) =>
        Parallel.ForEachAsync(_streams.All, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (session, _) =>
        {
            try
            {
                await SendAsync(session, message, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or RpcException or OperationCanceledException)
            {
                logger.LogWarning("could not tell {Device} of the new delegation: {Message}", session.DeviceId, e.Message);
            }
        });

    /// <summary>
    /// Sends the device's next update over its newest stream on this node, if it has one and nothing is in flight, under
    /// that stream's own cancellation (<see cref="Session.Cut"/>, <see cref="Session.Aborted"/>).
    /// </summary>
    public async Task PushNextAsync(string deviceId)
    {
        if (_streams.Of(deviceId) is not { } session) return;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(session.Cut, session.Aborted);
        CancellationToken ct = ended.Token;
        try
        {
            await session.Gate.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        Sending? mine = null;
        bool cut = false;
        try
        {
            // A newer stream took the device's place while this push waited: that stream's own push sends the update.
            if (!_streams.IsCurrent(session) || _inFlight.ContainsKey(deviceId)) return;
            InFlight? next = await PrepareAsync(deviceId, session.Hello?.PartialUpdateId, ct).ConfigureAwait(false);
            if (next is null) return;
            // The cluster-wide slot: refused when this stream is no longer the device's live one (it reconnected elsewhere).
            if (!await grains.GetGrain<IDeviceGrain>(deviceId).BeginUpdate(next.UpdateId, node, session.Number).ConfigureAwait(false)) return;
            // Another push of the device on this node took the slot meanwhile (a newer stream's): it sends the update.
            if (!_inFlight.TryAdd(deviceId, mine = new Sending(next)))
            {
                mine = null;
                return;
            }
            List<UpdateChunk> chunks = UpdateChunks.Split(next.UpdateId, next.SignedBytes);
            int from = session.ResumeAt(next.UpdateId, chunks.Count);
            foreach (UpdateChunk chunk in chunks.Skip(from))
                await session.Writer.WriteAsync(new CloudMessage { Chunk = chunk }, ct).ConfigureAwait(false);
        }
        // A database that cannot answer (a restart, a pool that stays exhausted) loses only this push: the stream stays,
        // and the rollout's tick pushes the device again.
        catch (Exception e) when (e is IOException or InvalidOperationException or RpcException or OperationCanceledException or DbException || IsClusterFault(e))
        {
            // Only this push's own hold: a newer stream of the device may have put the same update in flight meanwhile.
            if (mine is not null) _inFlight.TryRemove(new KeyValuePair<string, Sending>(deviceId, mine));
            cut = true;
            logger.LogWarning("push to {Device} interrupted: {Message}", deviceId, e.Message);
        }
        finally
        {
            session.Gate.Release();
        }
        // Cut because a newer stream of the device replaced this one here: that stream's own push may have found this
        // update in flight and left it, so the update goes out on it now.
        if (cut && !_streams.IsCurrent(session) && _streams.Of(deviceId) is not null) await PushNextAsync(deviceId).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="PrepareUnboundedAsync"/> in one of the node's <see cref="_preparing"/> slots, waited for without a
    /// thread: a stream's push and a constrained device's poll over HTTP/1.1 alike.
    /// </summary>
    public async Task<InFlight?> PrepareAsync(string deviceId, string? partialUpdateId, CancellationToken ct)
    {
        await _preparing.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await PrepareUnboundedAsync(deviceId, partialUpdateId).ConfigureAwait(false);
        }
        finally
        {
            _preparing.Release();
        }
    }

    /// <summary>
    /// The update the device should get next: the one already sent (to resume or re-send) while the device does
    /// not hold its version yet, else a new one for the oldest pending rollout entry; null when there is none.
    /// Entries the device already satisfies are marked applied on the way, and entries older than what it holds
    /// superseded. Unbounded: the node's callers go through <see cref="PrepareAsync"/>.
    /// </summary>
    internal async Task<InFlight?> PrepareUnboundedAsync(string deviceId, string? partialUpdateId)
    {
        if (_inFlight.TryGetValue(deviceId, out Sending? current)) return current.Update;
        while (await NextForAsync(deviceId).ConfigureAwait(false) is { } entry)
        {
            DeviceRegistry.Device device = entry.Device;
            ModelImage target = catalog.Get(entry.ModelId, entry.Version);
            byte[] sha = catalog.Digest(target);
            if (device.ModelId == entry.ModelId && device.ModelVersion == entry.Version && device.ImageSha256.AsSpan().SequenceEqual(sha))
            {
                StatementBatch settled = db.Batch();
                int marked = RolloutStore.Mark(settled, entry.RolloutId, deviceId, UpdateOutcome.Applied, null, null);
                // The device applied the update in flight but its ack was lost: the update's record is settled with the entry.
                if (entry.Outcome == UpdateOutcome.Sent && entry.UpdateId is { } sentId) UpdateLog.SettleApplied(settled, deviceId, sentId);
                if (RolloutStore.GroupOf((await commits.RunAsync(settled).ConfigureAwait(false))[marked]) is > 0 and int group)
                    _ = grains.GetGrain<IRolloutGrain>(entry.RolloutId).Finished(group, false);
                continue;
            }
            if (device.ModelId == entry.ModelId && device.ModelVersion > entry.Version)
            {
                // Another rollout reached the device first: this older version would be refused as a downgrade, and
                // counting that refusal could stop a rollout whose devices are all up to date.
                StatementBatch superseded = db.Batch();
                int marked = RolloutStore.MarkIf(superseded, entry.RolloutId, deviceId, entry.Outcome, entry.UpdateId, UpdateOutcome.Superseded, null,
                    $"the device holds v{device.ModelVersion}, newer than v{entry.Version}");
                if ((await commits.RunAsync(superseded).ConfigureAwait(false))[marked].Rows == 1)
                    _ = grains.GetGrain<IRolloutGrain>(entry.RolloutId).Finished(entry.Group, false);
                continue;
            }
            if (entry.Outcome == UpdateOutcome.Sent && entry.UpdateId is { } sent && (sent == partialUpdateId || StillApplies(sent, device)) && StillSigned(sent) is { } stored)
                return new InFlight(sent, entry.RolloutId, entry.ModelId, entry.Version, sha, PresetOf(device, target), stored);
            UpdateBuilder.Built built = builder.Build(device, target);
            // The claim on the rollout entry and the update's record are one batch. Two nodes preparing for one device
            // (a constrained device polling both) build at once: one claims the entry and records its update; the
            // other's claim fails, so its record is not written, and it takes the winner's update on the next turn.
            StatementBatch claim = db.Batch();
            int claimed = RolloutStore.MarkIf(claim, entry.RolloutId, deviceId, entry.Outcome, entry.UpdateId, UpdateOutcome.Sent, built.UpdateId, null);
            UpdateLog.Record(claim, built.UpdateId, built.Kind, built.BaseVersion, built.Bytes, built.SynapsesChanged, built.Cost, entry.RolloutId, deviceId, entry.ModelId,
                entry.Version, onlyIfClaimed: true);
            if ((await commits.RunAsync(claim).ConfigureAwait(false))[claimed].Rows != 1) continue;
            return new InFlight(built.UpdateId, entry.RolloutId, entry.ModelId, entry.Version, sha, PresetOf(device, target), built.Bytes);
        }
        return null;
    }

    /// <summary>
    /// The device's next rollout entry, read through the node's group commit: it shares a round trip with whatever
    /// acks and claims wait at the same moment instead of taking a pooled connection and a round trip of its own
    /// (the last of an update's three, docs/fleet.md), and it is waited for without a thread.
    /// </summary>
    private async Task<RolloutStore.NextEntry?> NextForAsync(string deviceId)
    {
        StatementBatch batch = db.Batch();
        int next = RolloutStore.NextFor(batch, deviceId);
        return RolloutStore.NextOf((await commits.RunAsync(batch).ConfigureAwait(false))[next]);
    }

    /// <summary>
    /// Whether an update already sent still takes the device from what it holds now (its base is still the device's
    /// version, the one check the device makes): then a device polling again, or reconnecting without a partial
    /// update, gets the same signed bytes instead of a freshly built and re-logged copy.
    /// </summary>
    private bool StillApplies(string updateId, DeviceRegistry.Device device) => log.Find(updateId) is { } sent && sent.BaseVersion == device.ModelVersion;

    /// <summary>Stored signed bytes are re-sent only while their key is still vouched for; after a revocation or cutoff the update is built and signed afresh.</summary>
    private byte[]? StillSigned(string updateId) =>
        log.Signed(updateId) is { } stored && keys.Vouches(SignedUpdate.Parser.ParseFrom(stored).KeyId) ? stored : null;

    /// <summary>
    /// Records an ack — the update's outcome and energy, what the device now holds, the telemetry it carried, its rollout
    /// entry — in one batch, one transaction and on PostgreSQL one round trip (never an update recorded applied whose
    /// rollout entry still reads sent); a stream-connected device then gets its next update, if it has one. Telemetry
    /// naming another device, or an ack of an update never sent to this device, is refused (<see cref="ArgumentException"/>)
    /// before anything is stored.
    /// </summary>
    public async Task OnAckAsync(string deviceId, UpdateAck ack)
    {
        if (ack.Telemetry is { } reported && reported.DeviceId != deviceId)
            throw new ArgumentException($"device {deviceId} acknowledged {ack.UpdateId} with telemetry for {reported.DeviceId}.");
        UpdateLog.Entry? logged = null;
        InFlight flight = (_inFlight.TryGetValue(deviceId, out Sending? f) && f.Update.UpdateId == ack.UpdateId ? f.Update : null) ?? FromLog(deviceId, ack.UpdateId, out logged)
            ?? throw new ArgumentException($"device {deviceId} acknowledged update {ack.UpdateId}, which was never sent to it; nothing was recorded.");
        if (logged is { Outcome: not UpdateOutcome.Sent })
        {
            // Acked before (a retry after a lost answer, or a late replay): recording it again could set the device's row
            // back to a version it has since moved on from.
            logger.LogInformation("device {Device} acknowledged {Update} again; it was recorded {Outcome} before", deviceId, ack.UpdateId, Words.Outcome(logged.Outcome));
            PushNextInBackground(deviceId);
            return;
        }
        // Read before the transaction, so it holds one connection and its write lock no longer than its writes.
        string? heldShape = ack.Applied ? ModelCatalog.Shape(catalog.Get(flight.ModelId, flight.Version)) : null;
        StatementBatch batch = db.Batch();
        // The same ack twice at once (a retry racing the first, or one over each of two streams) both read it unrecorded
        // above: every write waits on the update's row and happens only while it still reads sent, so the second records nothing.
        SqlCondition first = UpdateLog.ClaimAck(batch, deviceId, ack);
        if (heldShape is not null) DeviceRegistry.Update(batch, deviceId, flight.ModelId, flight.Version, flight.ImageSha256, heldShape, flight.Preset, ack.Telemetry, first);
        else if (ack.Telemetry is { } t) DeviceRegistry.RecordTelemetry(batch, t, first);
        int marked = RolloutStore.Mark(batch, flight.RolloutId, deviceId, ack.Applied ? UpdateOutcome.Applied : UpdateOutcome.Rejected, ack.UpdateId, ack.Applied ? null : ack.Reason, first);
        int recorded = UpdateLog.RecordAck(batch, deviceId, ack);
        // Whether the device has a next update, asked in the same round trip: mostly it has none, and then nothing more is read.
        int next = RolloutStore.NextFor(batch, deviceId);
        StatementBatch.Result[] done = await commits.RunAsync(batch).ConfigureAwait(false);
        int group = RolloutStore.GroupOf(done[marked]);
        if (done[recorded].Rows == 0)
            logger.LogInformation("device {Device} acknowledged {Update}, recorded meanwhile (by the same ack at the same moment, or settled from its report); nothing more was recorded", deviceId, ack.UpdateId);
        else if (!ack.Applied) logger.LogWarning("device {Device} rejected update {Update}: {Reason}", deviceId, ack.UpdateId, ack.Reason);
        if (group > 0)
        {
            try
            {
                await grains.GetGrain<IRolloutGrain>(flight.RolloutId).Finished(group, !ack.Applied).ConfigureAwait(false);
            }
            catch (Exception e) when (IsClusterFault(e))
            {
                // The ack is stored; a rollout grain on a dead silo catches up: its next tick takes its decision from
                // the database. The device's stream stays.
                logger.LogWarning("ack of {Update} from {Device} stored, but its rollout's grain was out of reach: {Message}", ack.UpdateId, deviceId, e.Message);
            }
        }
        if (_inFlight.TryGetValue(deviceId, out Sending? pending) && pending.Update.UpdateId == ack.UpdateId)
            _inFlight.TryRemove(new KeyValuePair<string, Sending>(deviceId, pending));
        if (done[next].Rows > 0) PushNextInBackground(deviceId);
    }

    /// <summary>A telemetry report from a device's stream: its row and its history, in one batch.</summary>
    public Task OnTelemetryAsync(Telemetry telemetry)
    {
        StatementBatch batch = db.Batch();
        DeviceRegistry.RecordTelemetry(batch, telemetry);
        return commits.RunAsync(batch);
    }

    private InFlight? FromLog(string deviceId, string updateId, out UpdateLog.Entry? entry)
    {
        entry = log.Find(updateId);
        if (entry?.RolloutId is null || entry.DeviceId != deviceId) return null;
        ModelImage target = catalog.Get(entry.ModelId, entry.NewVersion);
        return new InFlight(updateId, entry.RolloutId, entry.ModelId, entry.NewVersion, catalog.Digest(target), PresetOf(devices.Find(deviceId), target), []);
    }
}
