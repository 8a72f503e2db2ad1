using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Fleet.Storage;

/// <summary>
/// Rollouts of a model version to a set of devices, with per-device status: pending (not yet sent), sent
/// (update in flight), applied, rejected. Status lives in the database, so a restarted server carries on.
/// </summary>
public sealed class RolloutStore(FleetDatabase db)
{
    public sealed record DeviceStatus(string DeviceId, UpdateOutcome Outcome, string? UpdateId, string? Reason);

    public sealed record Rollout(string RolloutId, string ModelId, ulong Version, long CreatedMs, IReadOnlyList<DeviceStatus> Devices)
    {
        public uint Count(UpdateOutcome outcome) => (uint)Devices.Count(d => d.Outcome == outcome);

        public RolloutState State => Count(UpdateOutcome.Pending) + Count(UpdateOutcome.Sent) > 0 ? RolloutState.InProgress
            : Count(UpdateOutcome.Rejected) > 0 ? RolloutState.FinishedWithRejections : RolloutState.Succeeded;
    }

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

    /// <summary>The oldest rollout entry of a device that is not finished: (rollout id, model id, version, status, update id).</summary>
    public (string RolloutId, string ModelId, ulong Version, UpdateOutcome Outcome, string? UpdateId)? NextFor(string deviceId)
    {
        using var c = db.Open();
        using var cmd = FleetDatabase.Command(c, """
            SELECT rd.rollout_id, r.model_id, r.version, rd.status, rd.update_id FROM rollout_devices rd
            JOIN rollouts r ON r.rollout_id = rd.rollout_id
            WHERE rd.device_id = $d AND rd.status IN ('pending', 'sent') ORDER BY r.created_ms LIMIT 1
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

    public Rollout Get(string rolloutId)
    {
        using var c = db.Open();
        using var head = FleetDatabase.Command(c, "SELECT model_id, version, created_ms FROM rollouts WHERE rollout_id = $r", ("$r", rolloutId));
        using var h = head.ExecuteReader();
        if (!h.Read()) throw new ArgumentException($"no rollout {rolloutId}.");
        string model = h.GetString(0);
        ulong version = (ulong)h.GetInt64(1);
        long created = h.GetInt64(2);
        using var cmd = FleetDatabase.Command(c, "SELECT device_id, status, update_id, reason FROM rollout_devices WHERE rollout_id = $r ORDER BY device_id", ("$r", rolloutId));
        using var r = cmd.ExecuteReader();
        var devices = new List<DeviceStatus>();
        while (r.Read()) devices.Add(new DeviceStatus(r.GetString(0), StatusColumn.Outcome(r.GetString(1)), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3)));
        return new Rollout(rolloutId, model, version, created, devices);
    }
}
