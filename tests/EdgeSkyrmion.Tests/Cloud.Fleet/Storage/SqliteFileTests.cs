using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Protos.V1;
using Microsoft.Data.Sqlite;

namespace EdgeSkyrmion.Tests.Fleet.Storage;

/// <summary>
/// The embedded SQLite file keeps its format: a fleet.db written before staged rollouts (no group_number, no store
/// tables yet) opens, its rollout read as one group; a file of another schema version is refused with nothing changed.
/// </summary>
public sealed class SqliteFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "eskt-sqlitefile-" + Guid.NewGuid().ToString("N"))).FullName;

    private string File => Path.Combine(_dir, "fleet.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private void Write(string sql)
    {
        using var c = new SqliteConnection($"Data Source={File};Pooling=false");
        c.Open();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private long Count(string sql)
    {
        using var c = new SqliteConnection($"Data Source={File};Pooling=false");
        c.Open();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>The tables a build from before staged rollouts had written, with one rollout of one device.</summary>
    private void WriteOldFile() => Write("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema_version', '1');
        CREATE TABLE devices (
          device_id TEXT PRIMARY KEY, token_sha256 BLOB, registered_ms INTEGER NOT NULL,
          model_id TEXT NOT NULL DEFAULT '', model_version INTEGER NOT NULL DEFAULT 0, image_sha256 BLOB,
          shape TEXT NOT NULL DEFAULT 'none', preset TEXT NOT NULL DEFAULT '', last_seen_ms INTEGER,
          failed_devices INTEGER NOT NULL DEFAULT 0, total_devices INTEGER NOT NULL DEFAULT 0,
          lifetime_energy_fj REAL NOT NULL DEFAULT 0);
        CREATE TABLE rollouts (rollout_id TEXT PRIMARY KEY, model_id TEXT NOT NULL, version INTEGER NOT NULL, created_ms INTEGER NOT NULL);
        CREATE TABLE rollout_devices (
          rollout_id TEXT NOT NULL, device_id TEXT NOT NULL, status TEXT NOT NULL, update_id TEXT, reason TEXT,
          PRIMARY KEY (rollout_id, device_id));
        INSERT INTO devices (device_id, registered_ms) VALUES ('wrist-old', 1);
        INSERT INTO rollouts VALUES ('r-old', 'mnist', 2, 5);
        INSERT INTO rollout_devices VALUES ('r-old', 'wrist-old', 'applied', 'u-1', NULL);
        """);

    [Fact]
    public void AFileFromBeforeStagedRolloutsOpensWithItsRolloutAsOneGroup()
    {
        WriteOldFile();
        using FleetDatabase db = FleetDatabase.OpenSqlite(File);
        RolloutStore.Rollout rollout = new RolloutStore(db).Get("r-old");
        Assert.Equal(("wrist-old", UpdateOutcome.Applied, 1), rollout.Devices.Select(d => (d.DeviceId, d.Outcome, d.Group)).Single());
        Assert.Equal(RolloutState.Succeeded, rollout.State);
        Assert.NotNull(new DeviceRegistry(db).Find("wrist-old"));
        new AuditLog(db).Append("admin", "admin", "probe", "-", "local", "done");
        Assert.Equal(1, Count("SELECT COUNT(*) FROM pragma_table_info('rollout_devices') WHERE name = 'group_number'"));
    }

    [Fact]
    public void AFileFromBeforeTheDevicesRowKeptItsTemperatureTakesTheNewestReadingFromItsHistory()
    {
        WriteOldFile();
        Write("""
            CREATE TABLE telemetry_history (
              device_id TEXT NOT NULL, unix_ms INTEGER NOT NULL, model_version INTEGER NOT NULL, failed_devices INTEGER NOT NULL,
              total_devices INTEGER NOT NULL, lifetime_energy_fj REAL NOT NULL, temperature_k REAL);
            INSERT INTO telemetry_history VALUES ('wrist-old', 10, 0, 0, 1, 0, 300), ('wrist-old', 20, 0, 0, 1, 0, 310), ('wrist-old', 30, 0, 0, 1, 0, NULL);
            INSERT INTO devices (device_id, registered_ms) VALUES ('wrist-silent', 1);
            """);
        using FleetDatabase db = FleetDatabase.OpenSqlite(File);
        var devices = new DeviceRegistry(db);
        Assert.Equal(310, devices.Find("wrist-old")!.TemperatureK);
        Assert.Null(devices.Find("wrist-silent")!.TemperatureK);
    }

    [Fact]
    public void AFileOfAnotherSchemaVersionIsRefusedAndLeftUnchanged()
    {
        WriteOldFile();
        Write("UPDATE meta SET value = '2' WHERE key = 'schema_version'");
        var e = Assert.Throws<InvalidDataException>(() => FleetDatabase.OpenSqlite(File));
        Assert.Contains("schema v2, this build reads v1", e.Message);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM pragma_table_info('rollout_devices') WHERE name = 'group_number'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'audit'"));
    }
}
