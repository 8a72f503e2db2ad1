using System.Data.Common;
using System.Security.Cryptography;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Fleet.Storage;

/// <summary>
/// Registered devices, their credentials and what each holds. A device is issued a random bearer token at
/// registration; only its SHA-256 is stored. What a device holds is taken from its Hello and from its acks.
/// </summary>
public sealed class DeviceRegistry(FleetDatabase db)
{
    /// <param name="TemperatureK">The newest temperature the device reported (kelvin); null when no report had a reading.</param>
    public sealed record Device(string DeviceId, string ModelId, ulong ModelVersion, byte[] ImageSha256, string Shape, string Preset,
        long? LastSeenMs, int FailedDevices, int TotalDevices, double LifetimeEnergyFj, double? TemperatureK);

    /// <summary>Registers a device and returns its token (shown once). Registering twice is refused.</summary>
    /// <summary>
    /// Registers a device and returns its token (shown once). <paramref name="alongside"/> runs in the same transaction
    /// (the dynamic rollouts it joins): a failure anywhere leaves the device unregistered, so registering it again works.
    /// </summary>
    public string Register(string deviceId, Action<DbConnection>? alongside = null)
    {
        if (string.IsNullOrWhiteSpace(deviceId) || deviceId.Length > 128 || deviceId.Any(char.IsControl))
            throw new ArgumentException($"device id \"{deviceId}\" must be 1–128 printable characters.");
        string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        // The insert is the existence check, so two servers registering the same id at once cannot both succeed.
        if (FleetDatabase.Execute(c, "INSERT INTO devices (device_id, token_sha256, registered_ms) VALUES (@d, @t, @now) ON CONFLICT DO NOTHING",
                ("@d", deviceId), ("@t", SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))), ("@now", FleetDatabase.NowMs())) == 0)
            throw new ArgumentException($"device {deviceId} is already registered.");
        alongside?.Invoke(c);
        tx.Commit();
        return token;
    }

    /// <summary>Withdraws the device's token: every later Hello or request is refused until a new token is issued.</summary>
    public void Revoke(string deviceId)
    {
        using var c = db.Open();
        if (FleetDatabase.Execute(c, "UPDATE devices SET token_sha256 = NULL WHERE device_id = @d", ("@d", deviceId)) == 0)
            throw new KeyNotFoundException($"unknown device {deviceId}.");
    }

    /// <summary>Issues the device a new token (shown once); the old one, or a revocation, no longer applies.</summary>
    public string RotateToken(string deviceId)
    {
        string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        using var c = db.Open();
        if (FleetDatabase.Execute(c, "UPDATE devices SET token_sha256 = @t WHERE device_id = @d",
                ("@d", deviceId), ("@t", SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)))) == 0)
            throw new KeyNotFoundException($"unknown device {deviceId}.");
        return token;
    }

    /// <summary>True when the device exists, is not revoked and the token is its own (constant-time comparison).</summary>
    public bool Authenticate(string deviceId, string token)
    {
        using var c = db.Open();
        byte[]? stored = FleetDatabase.Scalar<byte[]>(c, "SELECT token_sha256 FROM devices WHERE device_id = @d", ("@d", deviceId));
        if (stored is null) return false;
        return CryptographicOperations.FixedTimeEquals(stored, SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token ?? "")));
    }

    public Device? Find(string deviceId)
    {
        using var c = db.Open();
        using var cmd = FleetDatabase.Command(c, $"SELECT {Columns} FROM devices WHERE device_id = @d", ("@d", deviceId));
        using var r = cmd.ExecuteReader();
        return r.Read() ? Read(r) : null;
    }

    public IReadOnlyList<Device> All()
    {
        using var c = db.Open();
        using var cmd = FleetDatabase.Command(c, $"SELECT {Columns} FROM devices ORDER BY device_id");
        using var r = cmd.ExecuteReader();
        var list = new List<Device>();
        while (r.Read()) list.Add(Read(r));
        return list;
    }

    /// <summary>What a page of the device list asks for: text in the device or model id, the version held, the health.</summary>
    public sealed record Query(string? Search, ulong? Version, DeviceHealth? Health, int Offset, int Limit);

    /// <summary>
    /// One page of devices matching <paramref name="q"/>, by device id, and how many match in all: the database pages
    /// (LIMIT/OFFSET on the primary key order), so a page costs the same at 20,000 devices as at 20.
    /// </summary>
    public (IReadOnlyList<Device> Devices, int Total) Page(Query q)
    {
        if (q.Limit is < 1 or > 500) throw new ArgumentException($"page size {q.Limit}: use 1–500.");
        if (q.Offset < 0) throw new ArgumentException($"page offset {q.Offset}: must be ≥ 0.");
        var where = new List<string>();
        var args = new List<(string, object?)>();
        if (!string.IsNullOrWhiteSpace(q.Search))
        {
            // A position rather than LIKE: '%' and '_' in the search text are then plain characters.
            where.Add($"({db.Dialect.Position("device_id", "@q")} > 0 OR {db.Dialect.Position("model_id", "@q")} > 0)");
            args.Add(("@q", q.Search.Trim()));
        }
        if (q.Version is { } v)
        {
            where.Add("model_version = @v");
            args.Add(("@v", (long)v));
        }
        where.Add(q.Health switch
        {
            null => "1 = 1",
            DeviceHealth.NoModel => "model_version = 0",
            DeviceHealth.Healthy => "model_version > 0 AND failed_devices = 0",
            DeviceHealth.Degraded => "model_version > 0 AND failed_devices > 0",
            _ => throw new ArgumentException($"health {q.Health}: use no model, healthy or degraded."),
        });
        string filter = "WHERE " + string.Join(" AND ", where);
        using var c = db.Open();
        int total = (int)FleetDatabase.Scalar<long>(c, $"SELECT COUNT(*) FROM devices {filter}", [.. args]);
        using var cmd = FleetDatabase.Command(c, $"SELECT {Columns} FROM devices {filter} ORDER BY device_id LIMIT @limit OFFSET @offset",
            [.. args, ("@limit", q.Limit), ("@offset", q.Offset)]);
        using var r = cmd.ExecuteReader();
        var list = new List<Device>();
        while (r.Read()) list.Add(Read(r));
        return (list, total);
    }

    /// <summary>The distinct model versions devices hold, for the version filter.</summary>
    public IReadOnlyList<ulong> VersionsHeld()
    {
        using var c = db.Open();
        using var cmd = FleetDatabase.Command(c, "SELECT DISTINCT model_version FROM devices WHERE model_version > 0 ORDER BY model_version");
        using var r = cmd.ExecuteReader();
        var list = new List<ulong>();
        while (r.Read()) list.Add((ulong)r.GetInt64(0));
        return list;
    }

    public void RecordHello(Hello hello) =>
        Update(hello.DeviceId, hello.ModelId, hello.ModelVersion, hello.ImageSha256.ToByteArray(), hello.Shape, hello.Preset);

    public void Update(string deviceId, string modelId, ulong version, byte[] imageSha256, string shape, string preset)
    {
        StatementBatch batch = db.Batch();
        Update(batch, deviceId, modelId, version, imageSha256, shape, preset);
        db.Run(batch);
    }

    /// <summary>
    /// Adds what the device holds now to <paramref name="batch"/>; with the <paramref name="telemetry"/> its ack carried,
    /// its health and lifetime energy in the same row write and the report appended to its history; each write only while
    /// <paramref name="onlyIf"/> holds.
    /// </summary>
    public static void Update(StatementBatch batch, string deviceId, string modelId, ulong version, byte[] imageSha256, string shape, string preset, Telemetry? telemetry = null,
        SqlCondition? onlyIf = null) =>
        Write(batch, deviceId, [("model_id", modelId), ("model_version", (long)version), ("image_sha256", imageSha256), ("shape", shape), ("preset", preset)], telemetry, onlyIf);

    public void RecordTelemetry(Telemetry t)
    {
        StatementBatch batch = db.Batch();
        RecordTelemetry(batch, t);
        db.Run(batch);
    }

    /// <summary>Adds a telemetry report to <paramref name="batch"/>: the device's row and its history, only while <paramref name="onlyIf"/> holds.</summary>
    public static void RecordTelemetry(StatementBatch batch, Telemetry t, SqlCondition? onlyIf = null) => Write(batch, t.DeviceId, [], t, onlyIf);

    /// <summary>
    /// One UPDATE of the device's row: the <paramref name="columns"/> given, its health and lifetime energy from the
    /// <paramref name="telemetry"/> (then appended to its history too), and when it was last seen; only while
    /// <paramref name="onlyIf"/> holds.
    /// </summary>
    private static void Write(StatementBatch batch, string deviceId, (string Column, object? Value)[] columns, Telemetry? telemetry, SqlCondition? onlyIf)
    {
        long now = FleetDatabase.NowMs();
        double lifetime = telemetry?.Lifetime?.TotalEnergyFj ?? 0;
        (string Column, object? Value)[] health = telemetry is null ? []
            : [("failed_devices", (long)telemetry.FailedDevices), ("total_devices", (long)telemetry.TotalDevices), ("lifetime_energy_fj", lifetime),
                // A report without a reading keeps the last one.
                .. telemetry.TemperatureK > 0 ? [("temperature_k", (object?)telemetry.TemperatureK)] : Array.Empty<(string, object?)>()];
        (string Column, object? Value)[] set = [.. columns, ("last_seen_ms", now), .. health];
        batch.Add($"UPDATE devices SET {string.Join(", ", set.Select(s => $"{s.Column} = @{s.Column}"))} WHERE device_id = @device_id{SqlCondition.And(onlyIf)}",
            SqlCondition.With([("@device_id", deviceId), .. set.Select(s => ("@" + s.Column, s.Value))], onlyIf));
        if (telemetry is not null) TelemetryHistory.Append(batch, telemetry, lifetime, now, onlyIf);
    }

    private const string Columns = "device_id, model_id, model_version, image_sha256, shape, preset, last_seen_ms, failed_devices, total_devices, lifetime_energy_fj, temperature_k";

    /// <summary>The columns <see cref="Read"/> takes, of the devices table named <paramref name="alias"/> in a join.</summary>
    internal static string ColumnsOf(string alias) => string.Join(", ", Columns.Split(", ").Select(column => $"{alias}.{column}"));

    /// <summary>A device from <see cref="Columns"/> read at column <paramref name="first"/> onwards.</summary>
    internal static Device Read(DbDataReader r, int first = 0)
    {
        int i = first;
        return new(r.GetString(i), r.GetString(i + 1), (ulong)r.GetInt64(i + 2), r.IsDBNull(i + 3) ? [] : (byte[])r[i + 3], r.GetString(i + 4), r.GetString(i + 5),
            r.IsDBNull(i + 6) ? null : r.GetInt64(i + 6), r.GetInt32(i + 7), r.GetInt32(i + 8), r.GetDouble(i + 9), r.IsDBNull(i + 10) ? null : r.GetDouble(i + 10));
    }
}
