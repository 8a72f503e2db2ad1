using System.Security.Cryptography;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Fleet.Storage;

/// <summary>
/// Registered devices, their credentials and what each holds. A device is issued a random bearer token at
/// registration; only its SHA-256 is stored. What a device holds is taken from its Hello and from its acks.
/// </summary>
public sealed class DeviceRegistry(FleetDatabase db)
{
    public sealed record Device(string DeviceId, string ModelId, ulong ModelVersion, byte[] ImageSha256, string Shape, string Preset,
        long? LastSeenMs, int FailedDevices, int TotalDevices, double LifetimeEnergyFj);

    /// <summary>Registers a device and returns its token (shown once). Registering twice is refused.</summary>
    public string Register(string deviceId)
    {
        if (string.IsNullOrWhiteSpace(deviceId) || deviceId.Length > 128 || deviceId.Any(char.IsControl))
            throw new ArgumentException($"device id \"{deviceId}\" must be 1–128 printable characters.");
        string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        using var c = db.Open();
        if (FleetDatabase.Scalar<string>(c, "SELECT device_id FROM devices WHERE device_id = $d", ("$d", deviceId)) is not null)
            throw new ArgumentException($"device {deviceId} is already registered.");
        FleetDatabase.Execute(c, "INSERT INTO devices (device_id, token_sha256, registered_ms) VALUES ($d, $t, $now)",
            ("$d", deviceId), ("$t", SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))), ("$now", FleetDatabase.NowMs()));
        return token;
    }

    /// <summary>Withdraws the device's token: every later Hello or request is refused until a new token is issued.</summary>
    public void Revoke(string deviceId)
    {
        using var c = db.Open();
        if (FleetDatabase.Scalar<string>(c, "SELECT device_id FROM devices WHERE device_id = $d", ("$d", deviceId)) is null)
            throw new KeyNotFoundException($"unknown device {deviceId}.");
        FleetDatabase.Execute(c, "UPDATE devices SET token_sha256 = NULL WHERE device_id = $d", ("$d", deviceId));
    }

    /// <summary>Issues the device a new token (shown once); the old one, or a revocation, no longer applies.</summary>
    public string RotateToken(string deviceId)
    {
        string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        using var c = db.Open();
        if (FleetDatabase.Scalar<string>(c, "SELECT device_id FROM devices WHERE device_id = $d", ("$d", deviceId)) is null)
            throw new KeyNotFoundException($"unknown device {deviceId}.");
        FleetDatabase.Execute(c, "UPDATE devices SET token_sha256 = $t WHERE device_id = $d",
            ("$d", deviceId), ("$t", SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))));
        return token;
    }

    /// <summary>True when the device exists, is not revoked and the token is its own (constant-time comparison).</summary>
    public bool Authenticate(string deviceId, string token)
    {
        using var c = db.Open();
        byte[]? stored = FleetDatabase.Scalar<byte[]>(c, "SELECT token_sha256 FROM devices WHERE device_id = $d", ("$d", deviceId));
        if (stored is null) return false;
        return CryptographicOperations.FixedTimeEquals(stored, SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token ?? "")));
    }

    public Device? Find(string deviceId)
    {
        using var c = db.Open();
        using var cmd = FleetDatabase.Command(c, "SELECT device_id, model_id, model_version, image_sha256, shape, preset, last_seen_ms, failed_devices, total_devices, lifetime_energy_fj FROM devices WHERE device_id = $d", ("$d", deviceId));
        using var r = cmd.ExecuteReader();
        return r.Read() ? Read(r) : null;
    }

    public IReadOnlyList<Device> All()
    {
        using var c = db.Open();
        using var cmd = FleetDatabase.Command(c, "SELECT device_id, model_id, model_version, image_sha256, shape, preset, last_seen_ms, failed_devices, total_devices, lifetime_energy_fj FROM devices ORDER BY device_id");
        using var r = cmd.ExecuteReader();
        var list = new List<Device>();
        while (r.Read()) list.Add(Read(r));
        return list;
    }

    public void RecordHello(Hello hello) =>
        Update(hello.DeviceId, hello.ModelId, hello.ModelVersion, hello.ImageSha256.ToByteArray(), hello.Shape, hello.Preset);

    public void Update(string deviceId, string modelId, ulong version, byte[] imageSha256, string shape, string preset)
    {
        using var c = db.Open();
        FleetDatabase.Execute(c, "UPDATE devices SET model_id = $m, model_version = $v, image_sha256 = $s, shape = $shape, preset = $p, last_seen_ms = $now WHERE device_id = $d",
            ("$d", deviceId), ("$m", modelId), ("$v", (long)version), ("$s", imageSha256), ("$shape", shape), ("$p", preset), ("$now", FleetDatabase.NowMs()));
    }

    public void RecordTelemetry(Telemetry t)
    {
        using var c = db.Open();
        double lifetime = t.Lifetime is null ? 0 : t.Lifetime.ProgrammingEnergyFj + t.Lifetime.InitializationEnergyFj + t.Lifetime.ReadEnergyFj;
        FleetDatabase.Execute(c, "UPDATE devices SET failed_devices = $f, total_devices = $n, lifetime_energy_fj = $e, last_seen_ms = $now WHERE device_id = $d",
            ("$d", t.DeviceId), ("$f", (long)t.FailedDevices), ("$n", (long)t.TotalDevices), ("$e", lifetime), ("$now", FleetDatabase.NowMs()));
    }

    private static Device Read(Microsoft.Data.Sqlite.SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), (ulong)r.GetInt64(2), r.IsDBNull(3) ? [] : (byte[])r[3], r.GetString(4), r.GetString(5),
        r.IsDBNull(6) ? null : r.GetInt64(6), r.GetInt32(7), r.GetInt32(8), r.GetDouble(9));
}
