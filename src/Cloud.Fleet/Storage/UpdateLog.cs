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
        StatementBatch batch = db.Batch();
        Record(batch, updateId, kind, baseVersion, signedBytes, synapsesChanged, estimate, rolloutId, deviceId, modelId, newVersion, onlyIfClaimed: false);
        db.Run(batch);
    }

    /// <summary>
    /// Adds the update's record to <paramref name="batch"/>; <paramref name="onlyIfClaimed"/>: only if the device's entry
    /// in the rollout names this update by then (a claim earlier in the batch, <see cref="RolloutStore.MarkIf(StatementBatch, string, string, UpdateOutcome, string?, UpdateOutcome, string?, string?)"/>,
    /// succeeded), so a claim lost to another node leaves no record behind.
    /// </summary>
    public static void Record(StatementBatch batch, string updateId, UpdateKind kind, ulong baseVersion, byte[] signedBytes, int synapsesChanged, ProgrammingCost.Estimate estimate,
        string? rolloutId, string deviceId, string modelId, ulong newVersion, bool onlyIfClaimed) =>
        batch.Add($"""
            INSERT INTO updates (update_id, rollout_id, device_id, model_id, base_version, new_version, kind, bytes, synapses_changed,
              estimated_pulses, estimated_energy_fj, status, created_ms, signed)
            SELECT @u, @r, @d, @m, @b, @n, @k, @bytes, @c, @p, @e, @sent, @now, @s
            {(onlyIfClaimed ? "WHERE EXISTS (SELECT 1 FROM rollout_devices WHERE rollout_id = @r AND device_id = @d AND update_id = @u)" : "")}
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
        StatementBatch batch = db.Batch();
        ClaimAck(batch, deviceId, ack);
        int acked = RecordAck(batch, deviceId, ack);
        return db.Run(batch)[acked].Rows > 0;
    }

    /// <summary>
    /// Opens an ack's batch by locking its update's row (<see cref="SqlDialect.LockRows"/>; SQLite's write transaction
    /// holds the whole file), so of two acks of one update written at once — a retry racing the first, one over each of
    /// two streams or servers — the second waits for the first's commit. An applied update's energy enters the ledger
    /// here, from that locked read, only while the update still reads sent; a rejection's read only locks. Returns the
    /// condition the ack's other writes take — the update still reads sent — and
    /// <see cref="RecordAck(StatementBatch, string, UpdateAck)"/> comes last: the second ack then records nothing at all,
    /// not its energy or telemetry again, nor another outcome for the device's rollout entry.
    /// </summary>
    public static SqlCondition ClaimAck(StatementBatch batch, string deviceId, UpdateAck ack)
    {
        string sent = StatusColumn.Text(UpdateOutcome.Sent);
        if (ack.Applied)
        {
            EnergyReport e = ack.Energy ?? new EnergyReport();
            batch.Add($"INSERT INTO energy_ledger SELECT @d, @now, @u, @pp, @ip, @r, @e FROM updates WHERE update_id = @u AND device_id = @d AND status = @sent{batch.Dialect.LockRows}",
                ("@d", deviceId), ("@now", FleetDatabase.NowMs()), ("@u", ack.UpdateId), ("@pp", (long)e.ProgrammingPulses),
                ("@ip", (long)e.InitializationPulses), ("@r", (long)e.Reads), ("@e", e.TotalEnergyFj), ("@sent", sent));
        }
        else batch.AddReturning($"SELECT 1 FROM updates WHERE update_id = @u AND device_id = @d{batch.Dialect.LockRows}", ("@u", ack.UpdateId), ("@d", deviceId));
        return new SqlCondition("EXISTS (SELECT 1 FROM updates WHERE update_id = @ack_u AND device_id = @ack_d AND status = @ack_sent)",
            [("@ack_u", ack.UpdateId), ("@ack_d", deviceId), ("@ack_sent", sent)]);
    }

    /// <summary>
    /// Adds the ack's outcome to <paramref name="batch"/>, after <see cref="ClaimAck"/> and the writes it conditions;
    /// returns the index of the statement whose rows say whether the ack was recorded (0: unknown or already acked).
    /// </summary>
    public static int RecordAck(StatementBatch batch, string deviceId, UpdateAck ack)
    {
        EnergyReport e = ack.Energy ?? new EnergyReport();
        return batch.Add("UPDATE updates SET status = @s, reason = @why, acked_ms = @now, pulses = @p, energy_fj = @e, programming_seconds = @sec WHERE update_id = @u AND device_id = @d AND status = @sent",
            ("@u", ack.UpdateId), ("@d", deviceId), ("@s", StatusColumn.Text(ack.Applied ? UpdateOutcome.Applied : UpdateOutcome.Rejected)), ("@why", ack.Reason),
            ("@now", FleetDatabase.NowMs()), ("@p", (long)(e.ProgrammingPulses + e.InitializationPulses)), ("@e", e.TotalEnergyFj), ("@sec", ack.Seconds),
            ("@sent", StatusColumn.Text(UpdateOutcome.Sent)));
    }

    /// <summary>
    /// Adds to <paramref name="batch"/>: <paramref name="updateId"/>, still sent, is settled as applied because the device
    /// reported holding its version (its ack was lost with a stream, a node or the database). Its energy is not known, so
    /// it enters no ledger; the device's own lifetime count, in its telemetry, still has it.
    /// </summary>
    public static void SettleApplied(StatementBatch batch, string deviceId, string updateId) =>
        batch.Add("UPDATE updates SET status = @s, reason = @why, acked_ms = @now WHERE update_id = @u AND device_id = @d AND status = @sent",
            ("@u", updateId), ("@d", deviceId), ("@s", StatusColumn.Text(UpdateOutcome.Applied)), ("@now", FleetDatabase.NowMs()),
            ("@why", "settled from the device's report that it holds the version; its ack was lost"), ("@sent", StatusColumn.Text(UpdateOutcome.Sent)));

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
