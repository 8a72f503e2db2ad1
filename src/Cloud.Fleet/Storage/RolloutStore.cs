using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Fleet.Storage;

/// <summary>
/// Rollouts of a model version to a set of devices, with per-device status: pending (not yet sent), sent
/// (update in flight), applied, rejected, cancelled. The operator may pause a rollout (its pending devices wait),
/// resume it, or cancel it (its pending devices get nothing); an update already sent always finishes. Status and
/// control live in the database, so a restarted server carries on.
/// </summary>
public sealed class RolloutStore(FleetDatabase db)
{
    /// <summary>What the operator has done to a rollout; stored in rollout_controls (no row: running).</summary>
    public enum Control { Running, Paused, Cancelled }

    public sealed record DeviceStatus(string DeviceId, UpdateOutcome Outcome, string? UpdateId, string? Reason);

    public sealed record Rollout(string RolloutId, string ModelId, ulong Version, long CreatedMs, Control Control, IReadOnlyList<DeviceStatus> Devices)
    {
        public uint Count(UpdateOutcome outcome) => (uint)Devices.Count(d => d.Outcome == outcome);

        public RolloutState State => StateOf(Control, Count(UpdateOutcome.Pending), Count(UpdateOutcome.Sent), Count(UpdateOutcome.Rejected));
    }

    /// <summary>A rollout without its device list: the counts per outcome (for the list of rollouts).</summary>
    public sealed record Summary(string RolloutId, string ModelId, ulong Version, long CreatedMs, Control Control,
        uint Pending, uint Sent, uint Applied, uint Rejected, uint Cancelled)
    {
        public RolloutState State => StateOf(Control, Pending, Sent, Rejected);
    }

    private static RolloutState StateOf(Control control, uint pending, uint sent, uint rejected) =>
        control == Control.Cancelled ? RolloutState.Cancelled
        : control == Control.Paused && pending > 0 ? RolloutState.Paused
        : pending + sent > 0 ? RolloutState.InProgress
        : rejected > 0 ? RolloutState.FinishedWithRejections : RolloutState.Succeeded;

    public string Create(string modelId, ulong version, IReadOnlyList<string> deviceIds)
    {
        if (deviceIds.Count == 0) throw new ArgumentException("a rollout needs at least one device.");
        string id = "r-" + Guid.NewGuid().ToString("N")[..12];
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        FleetDatabase.Execute(c, "INSERT INTO rollouts VALUES ($r, $m, $v, $now)", ("$r", id), ("$m", modelId), ("$v", (long)version), ("$now", FleetDatabase.NowMs()));
        using var insert = FleetDatabase.Command(c, "INSERT INTO rollout_devices (rollout_id, device_id, status) VALUES ($r, $d, 'pending')", ("$r", id), ("$d", ""));
        foreach (string device in deviceIds.Distinct())
        {
            insert.Parameters["$d"].Value = device;
            insert.ExecuteNonQuery();
        }
        tx.Commit();
        return id;
    }

    /// <summary>
    /// The oldest rollout entry of a device that is not finished: (rollout id, model id, version, status, update id).
    /// A pending entry of a paused rollout waits; a sent one still finishes.
    /// </summary>
    public (string RolloutId, string ModelId, ulong Version, UpdateOutcome Outcome, string? UpdateId)? NextFor(string deviceId)
    {
        using var c = db.Open();
        using var cmd = FleetDatabase.Command(c, """
            SELECT rd.rollout_id, r.model_id, r.version, rd.status, rd.update_id FROM rollout_devices rd
            JOIN rollouts r ON r.rollout_id = rd.rollout_id
            WHERE rd.device_id = $d AND (rd.status = 'sent' OR (rd.status = 'pending'
              AND NOT EXISTS (SELECT 1 FROM rollout_controls rc WHERE rc.rollout_id = rd.rollout_id)))
            ORDER BY r.created_ms LIMIT 1
            """, ("$d", deviceId));
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return null;
        return (r.GetString(0), r.GetString(1), (ulong)r.GetInt64(2), StatusColumn.Outcome(r.GetString(3)), r.IsDBNull(4) ? null : r.GetString(4));
    }

    public void Mark(string rolloutId, string deviceId, UpdateOutcome outcome, string? updateId, string? reason)
    {
        using var c = db.Open();
        FleetDatabase.Execute(c, "UPDATE rollout_devices SET status = $s, update_id = COALESCE($u, update_id), reason = $why WHERE rollout_id = $r AND device_id = $d",
            ("$r", rolloutId), ("$d", deviceId), ("$s", StatusColumn.Text(outcome)), ("$u", updateId), ("$why", reason));
    }

    /// <summary>Pauses a rollout in progress; anything else is refused with what state it is in (nothing changed).</summary>
    public void Pause(string rolloutId) => Change(rolloutId, "pause", [RolloutState.InProgress], Control.Paused);

    /// <summary>Resumes a paused rollout; its pending devices are sent their updates again.</summary>
    public void Resume(string rolloutId) => Change(rolloutId, "resume", [RolloutState.Paused], Control.Running);

    /// <summary>Cancels a rollout in progress or paused: pending devices are marked cancelled; sent updates finish.</summary>
    public void Cancel(string rolloutId) => Change(rolloutId, "cancel", [RolloutState.InProgress, RolloutState.Paused], Control.Cancelled);

    private void Change(string rolloutId, string verb, RolloutState[] allowed, Control to)
    {
        using var c = db.Open();
        // IMMEDIATE: the state read and the change are one step even when a device's ack lands between them.
        using var tx = c.BeginTransaction(deferred: false);
        RolloutState state = Read(c, rolloutId).State;
        if (!allowed.Contains(state))
            throw new InvalidOperationException($"rollout {rolloutId} is {Words.State(state)}; it cannot {verb} (it must be {string.Join(" or ", allowed.Select(Words.State))}).");
        if (to == Control.Running)
            FleetDatabase.Execute(c, "DELETE FROM rollout_controls WHERE rollout_id = $r", ("$r", rolloutId));
        else
            FleetDatabase.Execute(c, "INSERT OR REPLACE INTO rollout_controls VALUES ($r, $s, $now)",
                ("$r", rolloutId), ("$s", to == Control.Paused ? "paused" : "cancelled"), ("$now", FleetDatabase.NowMs()));
        if (to == Control.Cancelled)
            FleetDatabase.Execute(c, "UPDATE rollout_devices SET status = 'cancelled', reason = 'rollout cancelled' WHERE rollout_id = $r AND status = 'pending'", ("$r", rolloutId));
        tx.Commit();
    }

    public Rollout Get(string rolloutId)
    {
        using var c = db.Open();
        return Read(c, rolloutId);
    }

    /// <summary>Every rollout, newest first, with its counts per outcome.</summary>
    public IReadOnlyList<Summary> List()
    {
        using var c = db.Open();
        using var cmd = FleetDatabase.Command(c, """
            SELECT r.rollout_id, r.model_id, r.version, r.created_ms, rc.state,
              SUM(rd.status = 'pending'), SUM(rd.status = 'sent'), SUM(rd.status = 'applied'), SUM(rd.status = 'rejected'), SUM(rd.status = 'cancelled')
            FROM rollouts r LEFT JOIN rollout_controls rc ON rc.rollout_id = r.rollout_id JOIN rollout_devices rd ON rd.rollout_id = r.rollout_id
            GROUP BY r.rollout_id ORDER BY r.created_ms DESC, r.rowid DESC
            """);
        using var r = cmd.ExecuteReader();
        var list = new List<Summary>();
        while (r.Read())
            list.Add(new Summary(r.GetString(0), r.GetString(1), (ulong)r.GetInt64(2), r.GetInt64(3), ControlOf(r.IsDBNull(4) ? null : r.GetString(4)),
                (uint)r.GetInt64(5), (uint)r.GetInt64(6), (uint)r.GetInt64(7), (uint)r.GetInt64(8), (uint)r.GetInt64(9)));
        return list;
    }

    private static Rollout Read(Microsoft.Data.Sqlite.SqliteConnection c, string rolloutId)
    {
        using var head = FleetDatabase.Command(c, """
            SELECT r.model_id, r.version, r.created_ms, rc.state FROM rollouts r LEFT JOIN rollout_controls rc ON rc.rollout_id = r.rollout_id
            WHERE r.rollout_id = $r
            """, ("$r", rolloutId));
        using var h = head.ExecuteReader();
        if (!h.Read()) throw new KeyNotFoundException($"no rollout {rolloutId}.");
        string model = h.GetString(0);
        ulong version = (ulong)h.GetInt64(1);
        long created = h.GetInt64(2);
        Control control = ControlOf(h.IsDBNull(3) ? null : h.GetString(3));
        using var cmd = FleetDatabase.Command(c, "SELECT device_id, status, update_id, reason FROM rollout_devices WHERE rollout_id = $r ORDER BY device_id", ("$r", rolloutId));
        using var r = cmd.ExecuteReader();
        var devices = new List<DeviceStatus>();
        while (r.Read()) devices.Add(new DeviceStatus(r.GetString(0), StatusColumn.Outcome(r.GetString(1)), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3)));
        return new Rollout(rolloutId, model, version, created, control, devices);
    }

    private static Control ControlOf(string? text) => text switch
    {
        null => Control.Running,
        "paused" => Control.Paused,
        "cancelled" => Control.Cancelled,
        _ => throw new InvalidDataException($"fleet database holds an unknown rollout control '{text}'."),
    };
}
