using Microsoft.Data.Sqlite;

namespace EdgeSkyrmion.Cloud.Fleet.Storage;

/// <summary>
/// The cloud's record of the fleet in one SQLite file (WAL): model artifacts, registered devices and what each
/// holds, rollouts with per-device status, every update sent and its ack, and the energy ledger. Each call opens
/// its own connection (pooled), so the gRPC streams and the HTTP endpoints can use it concurrently.
/// </summary>
public sealed class FleetDatabase
{
    public const int SchemaVersion = 1;
    private readonly string _connectionString;

    public string Path { get; }

    public FleetDatabase(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using SqliteConnection c = Open();
        Execute(c, "PRAGMA journal_mode=WAL;");
        Execute(c, """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS models (
              model_id TEXT NOT NULL, version INTEGER NOT NULL, artifact BLOB NOT NULL, sha256 BLOB NOT NULL,
              shape TEXT NOT NULL, preset TEXT NOT NULL, levels INTEGER NOT NULL, created_ms INTEGER NOT NULL,
              PRIMARY KEY (model_id, version));
            CREATE TABLE IF NOT EXISTS devices (
              device_id TEXT PRIMARY KEY, token_sha256 BLOB, registered_ms INTEGER NOT NULL,
              model_id TEXT NOT NULL DEFAULT '', model_version INTEGER NOT NULL DEFAULT 0, image_sha256 BLOB,
              shape TEXT NOT NULL DEFAULT 'none', preset TEXT NOT NULL DEFAULT '', last_seen_ms INTEGER,
              failed_devices INTEGER NOT NULL DEFAULT 0, total_devices INTEGER NOT NULL DEFAULT 0,
              lifetime_energy_fj REAL NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS rollouts (
              rollout_id TEXT PRIMARY KEY, model_id TEXT NOT NULL, version INTEGER NOT NULL, created_ms INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS rollout_devices (
              rollout_id TEXT NOT NULL, device_id TEXT NOT NULL, status TEXT NOT NULL, update_id TEXT, reason TEXT,
              PRIMARY KEY (rollout_id, device_id));
            CREATE INDEX IF NOT EXISTS rollout_devices_pending ON rollout_devices (device_id, status);
            CREATE TABLE IF NOT EXISTS updates (
              update_id TEXT PRIMARY KEY, rollout_id TEXT, device_id TEXT NOT NULL, model_id TEXT NOT NULL,
              base_version INTEGER NOT NULL, new_version INTEGER NOT NULL, kind TEXT NOT NULL, bytes INTEGER NOT NULL,
              synapses_changed INTEGER NOT NULL, estimated_pulses INTEGER NOT NULL, estimated_energy_fj REAL NOT NULL,
              status TEXT NOT NULL, reason TEXT, created_ms INTEGER NOT NULL, acked_ms INTEGER,
              pulses INTEGER, energy_fj REAL, programming_seconds REAL, signed BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS updates_rollout ON updates (rollout_id);
            CREATE INDEX IF NOT EXISTS updates_device ON updates (device_id);
            CREATE TABLE IF NOT EXISTS energy_ledger (
              device_id TEXT NOT NULL, unix_ms INTEGER NOT NULL, update_id TEXT, programming_pulses INTEGER NOT NULL,
              initialization_pulses INTEGER NOT NULL, reads INTEGER NOT NULL, energy_fj REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS telemetry_history (
              device_id TEXT NOT NULL, unix_ms INTEGER NOT NULL, model_version INTEGER NOT NULL, failed_devices INTEGER NOT NULL,
              total_devices INTEGER NOT NULL, lifetime_energy_fj REAL NOT NULL, temperature_k REAL);
            CREATE INDEX IF NOT EXISTS telemetry_history_device ON telemetry_history (device_id, unix_ms);
            CREATE TABLE IF NOT EXISTS rollout_controls (rollout_id TEXT PRIMARY KEY, state TEXT NOT NULL, changed_ms INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS devices_version ON devices (model_id, model_version);
            CREATE INDEX IF NOT EXISTS updates_acked ON updates (acked_ms);
            CREATE TABLE IF NOT EXISTS rollout_stages (
              rollout_id TEXT PRIMARY KEY, groups INTEGER NOT NULL, open_groups INTEGER NOT NULL, success_threshold REAL NOT NULL,
              error_threshold REAL NOT NULL, dynamic INTEGER NOT NULL, stop_reason TEXT);
            INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '1');
            """);
        // Added with staged rollouts; a database from before reads its rollouts as one group each.
        if (Scalar<long>(c, "SELECT COUNT(*) FROM pragma_table_info('rollout_devices') WHERE name = 'group_number'") == 0)
            Execute(c, "ALTER TABLE rollout_devices ADD COLUMN group_number INTEGER NOT NULL DEFAULT 1");
        // Counting a staged rollout's open groups reads this index alone.
        Execute(c, "CREATE INDEX IF NOT EXISTS rollout_devices_group ON rollout_devices (rollout_id, group_number, status)");
        string? version = Scalar<string>(c, "SELECT value FROM meta WHERE key = 'schema_version'");
        if (version != SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
            throw new InvalidDataException($"{path}: fleet database schema v{version}, this build reads v{SchemaVersion}.");
    }

    public SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        // WAL + NORMAL: a commit survives the server being killed (the chaos restart-cloud case) without an fsync per
        // commit; after power loss the last commits may roll back, and devices re-report what they hold in their Hello.
        Execute(c, "PRAGMA synchronous=NORMAL;");
        return c;
    }

    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static void Execute(SqliteConnection c, string sql, params (string Name, object? Value)[] args)
    {
        using SqliteCommand cmd = Command(c, sql, args);
        cmd.ExecuteNonQuery();
    }

    public static T? Scalar<T>(SqliteConnection c, string sql, params (string Name, object? Value)[] args)
    {
        using SqliteCommand cmd = Command(c, sql, args);
        object? value = cmd.ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static SqliteCommand Command(SqliteConnection c, string sql, params (string Name, object? Value)[] args)
    {
        SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach ((string name, object? value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }
}
