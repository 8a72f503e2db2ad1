using System.Data.Common;
using EdgeSkyrmion.Cloud.Fleet.Rollouts;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Fleet.Storage;

/// <summary>
/// Rollouts of a model version to a set of devices, with per-device status: pending (not yet sent), sent
/// (update in flight), applied, rejected, cancelled, superseded (the device holds a newer version already). The operator may pause a rollout (its pending devices wait),
/// resume it, or cancel it (its pending devices get nothing); an update already sent always finishes. A staged
/// rollout sends only to its open groups; <see cref="Advance"/> applies <see cref="RolloutStages"/> to open the next
/// group or stop the rollout. Status, stages and control live in the database, so a restarted server carries on.
/// </summary>
public sealed class RolloutStore(FleetDatabase db)
{
    /// <summary>What the operator has done to a rollout; stored in rollout_controls (no row: running).</summary>
    public enum Control { Running, Paused, Cancelled }

    /// <summary>A device's place in a rollout; <paramref name="Group"/> is 1 for the first group.</summary>
    public sealed record DeviceStatus(string DeviceId, UpdateOutcome Outcome, string? UpdateId, string? Reason, int Group);

    /// <summary>A rollout's stored stages: how many groups, how many have opened, its thresholds, and why it stopped.</summary>
    public sealed record Stages(int Groups, int OpenGroups, double SuccessThresholdPercent, double ErrorThresholdPercent, bool Dynamic, string? StopReason)
    {
        /// <summary>Whether the state machine has anything to decide (otherwise every ack skips it).</summary>
        public bool Staged => Groups > 1 || ErrorThresholdPercent < 100;

        /// <summary>
        /// Stages that can no longer open a group: unstaged, stopped, or every group open. Groups and thresholds never
        /// change and a stop is for good, so such stages, however long ago they were read, still say rightly whether
        /// an ack may change anything (<see cref="MayChange"/>); stages with a group yet to open may be out of date.
        /// </summary>
        public bool Settled => !Staged || StopReason is not null || OpenGroups == Groups;

        /// <summary>Whether the state machine may decide anything new after the ack of a device of <paramref name="group"/>.</summary>
        public bool MayChange(int group, bool rejected) =>
            Staged && StopReason is null && RolloutStages.MayChange(ErrorThresholdPercent, Groups, OpenGroups, group, rejected);
    }

    public sealed record Rollout(string RolloutId, string ModelId, ulong Version, long CreatedMs, Control Control, Stages Stages, IReadOnlyList<DeviceStatus> Devices)
    {
        public uint Count(UpdateOutcome outcome) => (uint)Devices.Count(d => d.Outcome == outcome);

        public RolloutState State => StateOf(Control, Stages.StopReason, Count(UpdateOutcome.Pending), Count(UpdateOutcome.Sent), Count(UpdateOutcome.Rejected));

        /// <summary>Group <paramref name="group"/>'s devices by outcome.</summary>
        public RolloutStages.Counts GroupCounts(int group)
        {
            uint Of(UpdateOutcome o) => (uint)Devices.Count(d => d.Group == group && d.Outcome == o);
            return new RolloutStages.Counts(Of(UpdateOutcome.Pending), Of(UpdateOutcome.Sent), Of(UpdateOutcome.Applied), Of(UpdateOutcome.Rejected), Of(UpdateOutcome.Cancelled), Of(UpdateOutcome.Superseded));
        }
    }

    /// <summary>A rollout without its device list: its stages and each group's counts per outcome (to poll a rollout of any size).</summary>
    public sealed record Progress(string RolloutId, string ModelId, ulong Version, long CreatedMs, Control Control, Stages Stages, IReadOnlyList<RolloutStages.Counts> Groups)
    {
        public uint Count(UpdateOutcome outcome) => (uint)Groups.Sum(g => outcome switch
        {
            UpdateOutcome.Pending => g.Pending,
            UpdateOutcome.Sent => g.Sent,
            UpdateOutcome.Applied => g.Applied,
            UpdateOutcome.Rejected => g.Rejected,
            UpdateOutcome.Cancelled => g.Cancelled,
            UpdateOutcome.Superseded => g.Superseded,
            _ => 0,
        });

        public RolloutState State => StateOf(Control, Stages.StopReason, Count(UpdateOutcome.Pending), Count(UpdateOutcome.Sent), Count(UpdateOutcome.Rejected));
    }

    /// <summary>A rollout without its device list: the counts per outcome (for the list of rollouts).</summary>
    public sealed record Summary(string RolloutId, string ModelId, ulong Version, long CreatedMs, Control Control, string? StopReason,
        uint Pending, uint Sent, uint Applied, uint Rejected, uint Cancelled, uint Superseded)
    {
        public RolloutState State => StateOf(Control, StopReason, Pending, Sent, Rejected);
    }

    private static RolloutState StateOf(Control control, string? stopReason, uint pending, uint sent, uint rejected) =>
        control == Control.Cancelled ? RolloutState.Cancelled
        : stopReason is not null ? RolloutState.Stopped
        : control == Control.Paused && pending + sent > 0 ? RolloutState.Paused
        : pending + sent > 0 ? RolloutState.InProgress
        : rejected > 0 ? RolloutState.FinishedWithRejections : RolloutState.Succeeded;

    /// <summary>Rollout entries one INSERT writes (two parameters each; SQLite takes up to 32,766 a statement).</summary>
    private const int EntriesPerInsert = 500;

    /// <summary>Serializes creating a dynamic rollout against registrations joining the dynamic rollouts (<see cref="IncludeNewDevice"/>).</summary>
    private const string DynamicRolloutsLock = "dynamic rollouts";

    /// <summary>
    /// Stores a rollout with its plan, group 1 open, in one transaction. A dynamic rollout also takes in, in its last
    /// group, every device registered since its plan read the fleet: reading a large fleet takes long enough for
    /// registrations to land in between, and they found no rollout to join.
    /// </summary>
    public string Create(string modelId, ulong version, RolloutPlan plan)
    {
        if (plan.Groups.Sum(g => g.Count) == 0) throw new ArgumentException("a rollout needs at least one device.");
        string id = "r-" + Guid.NewGuid().ToString("N")[..12];
        using var c = db.Open();
        using var tx = plan.Dynamic ? db.BeginWrite(c, DynamicRolloutsLock) : c.BeginTransaction();
        FleetDatabase.Execute(c, "INSERT INTO rollouts VALUES (@r, @m, @v, @now)", ("@r", id), ("@m", modelId), ("@v", (long)version), ("@now", FleetDatabase.NowMs()));
        FleetDatabase.Execute(c, "INSERT INTO rollout_stages VALUES (@r, @groups, 1, @success, @error, @dynamic, NULL)", ("@r", id), ("@groups", plan.Groups.Count),
            ("@success", plan.SuccessThresholdPercent), ("@error", plan.ErrorThresholdPercent), ("@dynamic", plan.Dynamic ? 1 : 0));
        // Many rows a statement: a statement a device was a round trip each on PostgreSQL, 20,000 for a whole fleet.
        foreach ((string Device, int Group)[] chunk in plan.Groups.SelectMany((devices, g) => devices.Select(d => (d, g + 1))).Chunk(EntriesPerInsert))
            FleetDatabase.Execute(c, "INSERT INTO rollout_devices (rollout_id, device_id, status, group_number) VALUES "
                + string.Join(", ", chunk.Select((_, i) => $"(@r, @d{i}, 'pending', @g{i})")),
                [("@r", id), .. chunk.SelectMany((e, i) => new (string, object?)[] { ($"@d{i}", e.Device), ($"@g{i}", e.Group) })]);
        if (plan.Dynamic)
            FleetDatabase.Execute(c, """
                INSERT INTO rollout_devices (rollout_id, device_id, status, group_number)
                SELECT @r, d.device_id, 'pending', @last FROM devices d
                WHERE NOT EXISTS (SELECT 1 FROM rollout_devices x WHERE x.rollout_id = @r AND x.device_id = d.device_id)
                """, ("@r", id), ("@last", plan.Groups.Count));
        tx.Commit();
        return id;
    }

    /// <summary>
    /// Runs the state machine on a staged rollout until it rests: opens groups that are due (returning their pending
    /// devices, to be pushed) or stops the rollout with the reason, cancelling every device not yet sent its update.
    /// One write transaction under the rollout's lock (<see cref="FleetDatabase.BeginWrite"/>), so two acks landing
    /// together, on one server or two, cannot open a group twice.
    /// </summary>
    /// <remarks>
    /// With <paramref name="finished"/> (the group of the device that just finished, and whether it rejected), an ack
    /// that cannot change the decision (<see cref="RolloutStages.MayChange"/>) returns at once.
    /// </remarks>
    public IReadOnlyList<string> Advance(string rolloutId, (int Group, bool Rejected)? finished = null) => Advance(rolloutId, finished, out _);

    /// <summary><see cref="Advance(string, (int Group, bool Rejected)?)"/>, also giving the stages as it left them (null: no such rollout).</summary>
    public IReadOnlyList<string> Advance(string rolloutId, (int Group, bool Rejected)? finished, out Stages? stagesAfter)
    {
        using var c = db.Open();
        // Most acks belong to unstaged rollouts, or cannot change anything: a plain read settles those without the write lock.
        stagesAfter = ReadStages(c, rolloutId);
        if (stagesAfter is not { Staged: true, StopReason: null } seen || (finished is { } f && !seen.MayChange(f.Group, f.Rejected)))
            return [];
        using var tx = db.BeginWrite(c, LockKey(rolloutId));
        stagesAfter = ReadStages(c, rolloutId);
        if (stagesAfter is not { Staged: true, StopReason: null } stages
            || FleetDatabase.Scalar<string>(c, "SELECT state FROM rollout_controls WHERE rollout_id = @r", ("@r", rolloutId)) == "cancelled")
            return [];
        var opened = new List<string>();
        while (true)
        {
            RolloutStages.Decision decision = RolloutStages.Next(stages.SuccessThresholdPercent, stages.ErrorThresholdPercent, stages.Groups, OpenCounts(c, rolloutId, stages.OpenGroups));
            if (decision.Step == RolloutStages.Step.Continue) break;
            if (decision.Step == RolloutStages.Step.Stop)
            {
                FleetDatabase.Execute(c, "UPDATE rollout_stages SET stop_reason = @why WHERE rollout_id = @r", ("@r", rolloutId), ("@why", decision.Reason));
                FleetDatabase.Execute(c, "UPDATE rollout_devices SET status = 'cancelled', reason = @why WHERE rollout_id = @r AND status = 'pending'",
                    ("@r", rolloutId), ("@why", "rollout stopped: " + decision.Reason));
                stages = stages with { StopReason = decision.Reason };
                opened.Clear();
                break;
            }
            stages = stages with { OpenGroups = stages.OpenGroups + 1 };
            FleetDatabase.Execute(c, "UPDATE rollout_stages SET open_groups = @k WHERE rollout_id = @r", ("@r", rolloutId), ("@k", stages.OpenGroups));
            using var cmd = FleetDatabase.Command(c, "SELECT device_id FROM rollout_devices WHERE rollout_id = @r AND group_number = @k AND status = 'pending'",
                ("@r", rolloutId), ("@k", stages.OpenGroups));
            using var r = cmd.ExecuteReader();
            while (r.Read()) opened.Add(r.GetString(0));
        }
        tx.Commit();
        stagesAfter = stages;
        return opened;
    }

    /// <summary>Every staged rollout with devices still waiting, whose state machine may have something to do (after a restart, a decision lost with the process); finished ones are left alone.</summary>
    public IReadOnlyList<string> Staged()
    {
        using var c = db.Open();
        using var cmd = FleetDatabase.Command(c, "SELECT rollout_id FROM rollout_stages s WHERE stop_reason IS NULL AND (groups > 1 OR error_threshold < 100) " +
            "AND EXISTS (SELECT 1 FROM rollout_devices d WHERE d.rollout_id = s.rollout_id AND d.status IN ('pending', 'sent'))");
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read()) list.Add(r.GetString(0));
        return list;
    }

    /// <summary>
    /// A newly registered device joins the last group of every dynamic rollout still running (not cancelled or
    /// stopped; a finished one takes it in and is in progress again), on <paramref name="c"/> — inside the
    /// registration's transaction (<see cref="DeviceRegistry.Register"/>), so a device is never registered without
    /// joining them. Returns how many it joined.
    /// </summary>
    public static int IncludeNewDevice(DbConnection c, string deviceId)
    {
        // Shared with other registrations, exclusive against a dynamic rollout being created (Create): one of the two
        // commits first and the other sees it, so the device joins either way.
        FleetDatabase.LockShared(c, DynamicRolloutsLock);
        using var cmd = FleetDatabase.Command(c, """
            INSERT INTO rollout_devices (rollout_id, device_id, status, group_number)
            SELECT s.rollout_id, @d, 'pending', s.groups FROM rollout_stages s
            WHERE s.dynamic = 1 AND s.stop_reason IS NULL
              AND NOT EXISTS (SELECT 1 FROM rollout_controls rc WHERE rc.rollout_id = s.rollout_id AND rc.state = 'cancelled')
            ON CONFLICT DO NOTHING
            """, ("@d", deviceId));
        return cmd.ExecuteNonQuery();
    }

    /// <summary>Groups 1…<paramref name="openGroups"/>, each by outcome (a group without rows counts zero).</summary>
    private static RolloutStages.Counts[] OpenCounts(DbConnection c, string rolloutId, int openGroups)
    {
        var counts = new RolloutStages.Counts[openGroups];
        using var cmd = FleetDatabase.Command(c, $"""
            SELECT group_number, {CountsByOutcome("status")}
            FROM rollout_devices WHERE rollout_id = @r AND group_number <= @k GROUP BY group_number
            """, ("@r", rolloutId), ("@k", openGroups));
        using var r = cmd.ExecuteReader();
        while (r.Read())
            counts[r.GetInt32(0) - 1] = new RolloutStages.Counts((uint)r.GetInt64(1), (uint)r.GetInt64(2), (uint)r.GetInt64(3), (uint)r.GetInt64(4), (uint)r.GetInt64(5), (uint)r.GetInt64(6));
        return counts;
    }

    /// <summary>How many of the rows have each outcome, pending to superseded (CASE: PostgreSQL does not sum booleans).</summary>
    private static string CountsByOutcome(string status) => string.Join(", ",
        new[] { "pending", "sent", "applied", "rejected", "cancelled", "superseded" }.Select(s => $"COUNT(CASE WHEN {status} = '{s}' THEN 1 END)"));

    /// <summary>The lock key that serializes a rollout's state changes (<see cref="FleetDatabase.BeginWrite"/>).</summary>
    private static string LockKey(string rolloutId) => "rollout:" + rolloutId;

    private static Stages? ReadStages(DbConnection c, string rolloutId)
    {
        using var cmd = FleetDatabase.Command(c, "SELECT groups, open_groups, success_threshold, error_threshold, dynamic, stop_reason FROM rollout_stages WHERE rollout_id = @r", ("@r", rolloutId));
        using var r = cmd.ExecuteReader();
        return r.Read() ? new Stages(r.GetInt32(0), r.GetInt32(1), r.GetDouble(2), r.GetDouble(3), r.GetInt64(4) != 0, r.IsDBNull(5) ? null : r.GetString(5)) : null;
    }

    /// <summary>A rollout stored before staged rollouts existed: one group, nothing to stop it.</summary>
    private static readonly Stages Unstaged = new(1, 1, 100, 100, false, null);

    /// <summary>A device's oldest rollout entry not yet finished, with its group and the device's row (what it holds, to build its update from).</summary>
    public sealed record NextEntry(string RolloutId, string ModelId, ulong Version, UpdateOutcome Outcome, string? UpdateId, int Group, DeviceRegistry.Device Device);

    /// <summary>
    /// The device's entry whose update is in flight, else its oldest pending entry, read with the device's row in the
    /// same query. A pending entry of a paused or stopped rollout, or of a group not yet open, waits (a device that
    /// joins a dynamic rollout while another node stops it is not sent it); a sent one still finishes first, so an
    /// older rollout resumed meanwhile does not put a second update in flight.
    /// </summary>
    public NextEntry? NextFor(string deviceId)
    {
        StatementBatch batch = db.Batch();
        int next = NextFor(batch, deviceId);
        return NextOf(db.Run(batch)[next]);
    }

    /// <summary>
    /// Adds <see cref="NextFor(string)"/>'s query to <paramref name="batch"/>: the result at the index returned has a
    /// row when the device has an entry to be sent, and <see cref="NextOf"/> reads it.
    /// </summary>
    public static int NextFor(StatementBatch batch, string deviceId) => batch.AddQuery(NextForQuery, ReadNext, ("@d", deviceId));

    /// <summary>The entry a <see cref="NextFor(StatementBatch, string)"/> result holds (null: none).</summary>
    public static NextEntry? NextOf(StatementBatch.Result next) => (NextEntry?)next.Value;

    private static NextEntry ReadNext(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), (ulong)r.GetInt64(2), StatusColumn.Outcome(r.GetString(3)), r.IsDBNull(4) ? null : r.GetString(4), r.GetInt32(5), DeviceRegistry.Read(r, 6));

    private static readonly string NextForQuery = $"""
        SELECT rd.rollout_id, r.model_id, r.version, rd.status, rd.update_id, rd.group_number, {DeviceRegistry.ColumnsOf("d")} FROM rollout_devices rd
        JOIN rollouts r ON r.rollout_id = rd.rollout_id JOIN devices d ON d.device_id = rd.device_id
        WHERE rd.device_id = @d AND (rd.status = 'sent' OR (rd.status = 'pending'
          AND NOT EXISTS (SELECT 1 FROM rollout_controls rc WHERE rc.rollout_id = rd.rollout_id)
          AND rd.group_number <= COALESCE((SELECT CASE WHEN s.stop_reason IS NULL THEN s.open_groups ELSE 0 END FROM rollout_stages s WHERE s.rollout_id = rd.rollout_id), 1)))
        ORDER BY CASE WHEN rd.status = 'sent' THEN 0 ELSE 1 END, r.created_ms LIMIT 1
        """;

    /// <summary>Records a device's outcome in a rollout; returns the device's group (0: not in the rollout).</summary>
    public int Mark(string rolloutId, string deviceId, UpdateOutcome outcome, string? updateId, string? reason)
    {
        StatementBatch batch = db.Batch();
        int marked = Mark(batch, rolloutId, deviceId, outcome, updateId, reason);
        return GroupOf(db.Run(batch)[marked]);
    }

    /// <summary>
    /// Adds <see cref="Mark(string, string, UpdateOutcome, string?, string?)"/> to <paramref name="batch"/>; the result
    /// at the index returned gives the device's group (<see cref="GroupOf"/>). A rejection of another update than the
    /// entry's (a late ack of one replaced after its key was revoked) changes nothing and gives group 0: counted, it could
    /// stop the rollout for an update no longer sent. An applied one still counts: the device holds the version. Nothing
    /// changes, and group 0 is given, unless <paramref name="onlyIf"/> holds.
    /// </summary>
    public static int Mark(StatementBatch batch, string rolloutId, string deviceId, UpdateOutcome outcome, string? updateId, string? reason, SqlCondition? onlyIf = null) =>
        batch.AddReturning($"""
            UPDATE rollout_devices SET status = @s, update_id = COALESCE(@u, update_id), reason = @why
            WHERE rollout_id = @r AND device_id = @d AND (@s <> 'rejected' OR update_id IS NULL OR update_id = COALESCE(@u, update_id)){SqlCondition.And(onlyIf)}
            RETURNING group_number
            """,
            SqlCondition.With([("@r", rolloutId), ("@d", deviceId), ("@s", StatusColumn.Text(outcome)), ("@u", updateId), ("@why", reason)], onlyIf));

    /// <summary>The device's group from a <see cref="Mark(StatementBatch, string, string, UpdateOutcome, string?, string?, SqlCondition?)"/> result (0: not in the rollout).</summary>
    public static int GroupOf(StatementBatch.Result marked) => marked.Value is null ? 0 : Convert.ToInt32(marked.Value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Like <see cref="Mark(string, string, UpdateOutcome, string?, string?)"/>, but only while the entry is still as the caller read it (<paramref name="expected"/>
    /// outcome and update id): of two servers acting on the same entry at once exactly one changes it (true); the other
    /// changes nothing (false) and must not act on it.
    /// </summary>
    public bool MarkIf(string rolloutId, string deviceId, UpdateOutcome expected, string? expectedUpdateId, UpdateOutcome outcome, string? updateId, string? reason)
    {
        StatementBatch batch = db.Batch();
        int marked = MarkIf(batch, rolloutId, deviceId, expected, expectedUpdateId, outcome, updateId, reason);
        return db.Run(batch)[marked].Rows == 1;
    }

    /// <summary>Adds <see cref="MarkIf(string, string, UpdateOutcome, string?, UpdateOutcome, string?, string?)"/> to <paramref name="batch"/>; it won when the result at the index returned changed one row.</summary>
    public static int MarkIf(StatementBatch batch, string rolloutId, string deviceId, UpdateOutcome expected, string? expectedUpdateId, UpdateOutcome outcome, string? updateId, string? reason) =>
        batch.Add("""
            UPDATE rollout_devices SET status = @s, update_id = COALESCE(@u, update_id), reason = @why
            WHERE rollout_id = @r AND device_id = @d AND status = @was AND COALESCE(update_id, '') = COALESCE(@wasu, '')
            """, ("@r", rolloutId), ("@d", deviceId), ("@s", StatusColumn.Text(outcome)), ("@u", updateId), ("@why", reason),
            ("@was", StatusColumn.Text(expected)), ("@wasu", expectedUpdateId));

    /// <summary>Pauses a rollout in progress; anything else is refused with what state it is in (nothing changed).</summary>
    public void Pause(string rolloutId) => Change(rolloutId, "pause", [RolloutState.InProgress], Control.Paused);

    /// <summary>Resumes a paused rollout; its pending devices are sent their updates again.</summary>
    public void Resume(string rolloutId) => Change(rolloutId, "resume", [RolloutState.Paused], Control.Running);

    /// <summary>Cancels a rollout in progress or paused: pending devices are marked cancelled; sent updates finish.</summary>
    public void Cancel(string rolloutId) => Change(rolloutId, "cancel", [RolloutState.InProgress, RolloutState.Paused], Control.Cancelled);

    private void Change(string rolloutId, string verb, RolloutState[] allowed, Control to)
    {
        using var c = db.Open();
        // Under the rollout's lock: the state read and the change are one step even when a device's ack lands between them.
        using var tx = db.BeginWrite(c, LockKey(rolloutId));
        RolloutState state = Read(c, rolloutId).State;
        if (!allowed.Contains(state))
            throw new InvalidOperationException($"rollout {rolloutId} is {Words.State(state)}; it cannot {verb} (it must be {string.Join(" or ", allowed.Select(Words.State))}).");
        if (to == Control.Running)
            FleetDatabase.Execute(c, "DELETE FROM rollout_controls WHERE rollout_id = @r", ("@r", rolloutId));
        else
            FleetDatabase.Execute(c, "INSERT INTO rollout_controls VALUES (@r, @s, @now) ON CONFLICT (rollout_id) DO UPDATE SET state = excluded.state, changed_ms = excluded.changed_ms",
                ("@r", rolloutId), ("@s", to == Control.Paused ? "paused" : "cancelled"), ("@now", FleetDatabase.NowMs()));
        if (to == Control.Cancelled)
            FleetDatabase.Execute(c, "UPDATE rollout_devices SET status = 'cancelled', reason = 'rollout cancelled' WHERE rollout_id = @r AND status = 'pending'", ("@r", rolloutId));
        tx.Commit();
    }

    public Rollout Get(string rolloutId)
    {
        using var c = db.Open();
        return Read(c, rolloutId);
    }

    /// <summary>The rollout's head, stages and counts per group, counted in the database (one grouped read, no device rows).</summary>
    public Progress GetProgress(string rolloutId)
    {
        using var c = db.Open();
        (string model, ulong version, long created, Control control) = ReadHead(c, rolloutId);
        Stages stages = ReadStages(c, rolloutId) ?? Unstaged;
        return new Progress(rolloutId, model, version, created, control, stages, OpenCounts(c, rolloutId, stages.Groups));
    }

    /// <summary>Every rollout, newest first, with its counts per outcome.</summary>
    public IReadOnlyList<Summary> List()
    {
        using var c = db.Open();
        using var cmd = FleetDatabase.Command(c, $"""
            SELECT r.rollout_id, r.model_id, r.version, r.created_ms, rc.state, s.stop_reason,
              {CountsByOutcome("rd.status")}
            FROM rollouts r LEFT JOIN rollout_controls rc ON rc.rollout_id = r.rollout_id LEFT JOIN rollout_stages s ON s.rollout_id = r.rollout_id
            JOIN rollout_devices rd ON rd.rollout_id = r.rollout_id
            GROUP BY r.rollout_id, rc.state, s.stop_reason ORDER BY r.created_ms DESC, r.rowid DESC
            """);
        using var r = cmd.ExecuteReader();
        var list = new List<Summary>();
        while (r.Read())
            list.Add(new Summary(r.GetString(0), r.GetString(1), (ulong)r.GetInt64(2), r.GetInt64(3), ControlOf(r.IsDBNull(4) ? null : r.GetString(4)),
                r.IsDBNull(5) ? null : r.GetString(5), (uint)r.GetInt64(6), (uint)r.GetInt64(7), (uint)r.GetInt64(8), (uint)r.GetInt64(9), (uint)r.GetInt64(10), (uint)r.GetInt64(11)));
        return list;
    }

    private static (string Model, ulong Version, long CreatedMs, Control Control) ReadHead(DbConnection c, string rolloutId)
    {
        using var head = FleetDatabase.Command(c, """
            SELECT r.model_id, r.version, r.created_ms, rc.state FROM rollouts r LEFT JOIN rollout_controls rc ON rc.rollout_id = r.rollout_id
            WHERE r.rollout_id = @r
            """, ("@r", rolloutId));
        using var h = head.ExecuteReader();
        if (!h.Read()) throw new KeyNotFoundException($"no rollout {rolloutId}.");
        return (h.GetString(0), (ulong)h.GetInt64(1), h.GetInt64(2), ControlOf(h.IsDBNull(3) ? null : h.GetString(3)));
    }

    private static Rollout Read(DbConnection c, string rolloutId)
    {
        (string model, ulong version, long created, Control control) = ReadHead(c, rolloutId);
        Stages stages = ReadStages(c, rolloutId) ?? Unstaged;
        using var cmd = FleetDatabase.Command(c, "SELECT device_id, status, update_id, reason, group_number FROM rollout_devices WHERE rollout_id = @r ORDER BY group_number, device_id", ("@r", rolloutId));
        using var r = cmd.ExecuteReader();
        var devices = new List<DeviceStatus>();
        while (r.Read())
            devices.Add(new DeviceStatus(r.GetString(0), StatusColumn.Outcome(r.GetString(1)), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetInt32(4)));
        return new Rollout(rolloutId, model, version, created, control, stages, devices);
    }

    private static Control ControlOf(string? text) => text switch
    {
        null => Control.Running,
        "paused" => Control.Paused,
        "cancelled" => Control.Cancelled,
        _ => throw new InvalidDataException($"fleet database holds an unknown rollout control '{text}'."),
    };
}
