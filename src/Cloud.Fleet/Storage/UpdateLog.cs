using System.Data.Common;
using EdgeSkyrmion.DeviceModel.Energy;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Fleet.Storage;

/// <summary>Every update built for a device, its estimate before sending, and what the device acked.</summary>
public sealed class UpdateLog(FleetDatabase db)
{
    public sealed record Entry(string UpdateId, string? RolloutId, string DeviceId, string ModelId, ulong BaseVersion, ulong NewVersion,
        UpdateKind Kind, int Bytes, int SynapsesChanged, long EstimatedPulses, double EstimatedEnergyFj, UpdateOutcome Outcome, string? Reason,
        long? Pulses, double? EnergyFj, double? ProgrammingSeconds, long CreatedMs, long? AckedMs);

    /// <summary>Records an update as sent, with its signed bytes (re-sent as they are while its base still matches) and its estimate.</summary>
    public void Record(string updateId, UpdateKind kind, ulong baseVersion, byte[] signedBytes, int synapsesChanged, ProgrammingCost.Estimate estimate,
        string? rolloutId, string deviceId, string modelId, ulong newVersion)
    {
        using var c = db.Open();
        Record(c, updateId, kind, baseVersion, signedBytes, synapsesChanged, estimate, rolloutId, deviceId, modelId, newVersion);
    }

    /// <summary><see cref="Record(string, UpdateKind, ulong, byte[], int, ProgrammingCost.Estimate, string?, string, string, ulong)"/> on <paramref name="c"/> (inside the caller's transaction, if any).</summary>
    public static void Record(DbConnection c, string updateId, UpdateKind kind, ulong baseVersion, byte[] signedBytes, int synapsesChanged, ProgrammingCost.Estimate estimate,
        string? rolloutId, string deviceId, string modelId, ulong newVersion) =>
        FleetDatabase.Execute(c, """
            INSERT INTO updates (update_id, rollout_id, device_id, model_id, base_version, new_version, kind, bytes, synapses_changed,
              estimated_pulses, estimated_energy_fj, status, created_ms, signed)
            VALUES (@u, @r, @d, @m, @b, @n, @k, @bytes, @c, @p, @e, @sent, @now, @s)
            """,
            ("@u", updateId), ("@r", rolloutId), ("@d", deviceId), ("@m", modelId), ("@b", (long)baseVersion), ("@n", (long)newVersion),
            ("@k", StatusColumn.Text(kind)), ("@bytes", signedBytes.Length), ("@c", synapsesChanged),
            ("@p", (long)Math.Round(estimate.Pulses + estimate.InitializationPulses)), ("@e", Units.Femtojoules(estimate.EnergyJ)),
            ("@sent", StatusColumn.Text(UpdateOutcome.Sent)), ("@now", FleetDatabase.NowMs()), ("@s", signedBytes));

    /// <summary>
    /// Records the device's ack of a sent update; false (nothing changed) when the update is unknown or already acked,
    /// so an ack delivered twice, or to two servers, enters the energy ledger once.
    /// </summary>
    public bool RecordAck(string deviceId, UpdateAck ack)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        if (!RecordAck(c, deviceId, ack)) return false;
        tx.Commit();
        return true;
    }

    /// <summary><see cref="RecordAck(string, UpdateAck)"/> inside the caller's transaction on <paramref name="c"/>.</summary>
    public static bool RecordAck(DbConnection c, string deviceId, UpdateAck ack)
    {
        EnergyReport e = ack.Energy ?? new EnergyReport();
        if (FleetDatabase.Execute(c, "UPDATE updates SET status = @s, reason = @why, acked_ms = @now, pulses = @p, energy_fj = @e, programming_seconds = @sec WHERE update_id = @u AND device_id = @d AND status = @sent",
            ("@u", ack.UpdateId), ("@d", deviceId), ("@s", StatusColumn.Text(ack.Applied ? UpdateOutcome.Applied : UpdateOutcome.Rejected)), ("@why", ack.Reason),
            ("@now", FleetDatabase.NowMs()), ("@p", (long)(e.ProgrammingPulses + e.InitializationPulses)), ("@e", e.TotalEnergyFj), ("@sec", ack.Seconds),
            ("@sent", StatusColumn.Text(UpdateOutcome.Sent))) == 0)
            return false;
        if (ack.Applied)
            FleetDatabase.Execute(c, "INSERT INTO energy_ledger VALUES (@d, @now, @u, @pp, @ip, @r, @e)",
                ("@d", deviceId), ("@now", FleetDatabase.NowMs()), ("@u", ack.UpdateId), ("@pp", (long)e.ProgrammingPulses),
                ("@ip", (long)e.InitializationPulses), ("@r", (long)e.Reads), ("@e", e.TotalEnergyFj));
        return true;
    }

    public byte[]? Signed(string updateId)
    {
        using var c = db.Open();
        return FleetDatabase.Scalar<byte[]>(c, "SELECT signed FROM updates WHERE update_id = @u", ("@u", updateId));
    }

    public IReadOnlyList<Entry> ForDevice(string deviceId) => Select("WHERE device_id = @d ORDER BY created_ms", ("@d", deviceId));

    /// <summary>The latest update built for each device of a rollout.</summary>
    public IReadOnlyList<Entry> ForRollout(string rolloutId) =>
        Select("WHERE rowid IN (SELECT MAX(rowid) FROM updates WHERE rollout_id = @r GROUP BY device_id)", ("@r", rolloutId));

    /// <summary>Every applied update with what the device measured, in the order the acks arrived.</summary>
    public IReadOnlyList<Entry> Applied() => Select("WHERE status = 'applied' AND acked_ms IS NOT NULL ORDER BY acked_ms, rowid");

    /// <summary>Per device: applied updates and the energy and pulses they took, most energy first.</summary>
    public sealed record DeviceEnergy(string DeviceId, int Updates, double EnergyFj, long Pulses);

    public IReadOnlyList<DeviceEnergy> EnergyByDevice()
    {
        using var c = db.Open();
        using var cmd = FleetDatabase.Command(c, """
            SELECT device_id, COUNT(*), SUM(energy_fj), CAST(SUM(pulses) AS BIGINT) FROM updates WHERE status = 'applied' AND energy_fj IS NOT NULL
            GROUP BY device_id ORDER BY SUM(energy_fj) DESC, device_id
            """);
        using var r = cmd.ExecuteReader();
        var list = new List<DeviceEnergy>();
        while (r.Read()) list.Add(new DeviceEnergy(r.GetString(0), r.GetInt32(1), r.GetDouble(2), r.GetInt64(3)));
        return list;
    }

    /// <summary>One update by id; null when none was built with it.</summary>
    public Entry? Find(string updateId) => Select("WHERE update_id = @u", ("@u", updateId)).SingleOrDefault();

    private List<Entry> Select(string where, params (string Name, object? Value)[] parameters)
    {
        using var c = db.Open();
        using var cmd = FleetDatabase.Command(c, $"""
            SELECT update_id, rollout_id, device_id, model_id, base_version, new_version, kind, bytes, synapses_changed,
              estimated_pulses, estimated_energy_fj, status, reason, pulses, energy_fj, programming_seconds, created_ms, acked_ms FROM updates {where}
            """, parameters);
        using var r = cmd.ExecuteReader();
        var list = new List<Entry>();
        while (r.Read())
            list.Add(new Entry(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.GetString(3), (ulong)r.GetInt64(4),
                (ulong)r.GetInt64(5), StatusColumn.Kind(r.GetString(6)), r.GetInt32(7), r.GetInt32(8), r.GetInt64(9), r.GetDouble(10), StatusColumn.Outcome(r.GetString(11)),
                r.IsDBNull(12) ? null : r.GetString(12), r.IsDBNull(13) ? null : r.GetInt64(13), r.IsDBNull(14) ? null : r.GetDouble(14),
                r.IsDBNull(15) ? null : r.GetDouble(15), r.GetInt64(16), r.IsDBNull(17) ? null : r.GetInt64(17)));
        return list;
    }
}
