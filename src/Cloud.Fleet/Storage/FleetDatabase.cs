using System.Data.Common;
using System.Globalization;
using EdgeSkyrmion.Cli;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EdgeSkyrmion.Cloud.Fleet.Storage;

/// <summary>
/// The cloud's record of the fleet: model artifacts, registered devices and what each holds, rollouts with per-device
/// status, every update sent and its ack, the energy ledger, operators, users and the audit log. One code path over
/// two engines (<see cref="SqlDialect"/>): an embedded SQLite file (WAL; the default, one server) or PostgreSQL, shared
/// by several fleet servers at once. Each call opens its own connection (pooled), so the gRPC streams and the HTTP
/// endpoints can use it concurrently.
/// </summary>
public sealed class FleetDatabase : IDisposable
{
    public const int SchemaVersion = 1;

    private readonly string? _sqliteConnectionString;
    private readonly NpgsqlDataSource? _postgres;

    private FleetDatabase(SqlDialect dialect, string where, string? sqliteConnectionString, NpgsqlDataSource? postgres)
    {
        (Dialect, Where, _sqliteConnectionString, _postgres) = (dialect, where, sqliteConnectionString, postgres);
    }

    public SqlDialect Dialect { get; }

    /// <summary>Where the data lives, for messages: the SQLite file, or PostgreSQL's host:port/database.</summary>
    public string Where { get; }

    /// <summary>Opens (creating it if missing) the SQLite file at <paramref name="path"/>.</summary>
    public static FleetDatabase OpenSqlite(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        var db = new FleetDatabase(SqlDialect.Sqlite, path, connectionString, null);
        db.ApplySchema();
        return db;
    }

    /// <summary>
    /// Opens the fleet's tables in the PostgreSQL database named by <paramref name="connectionString"/>, creating them
    /// if missing. An unreachable server or a refused login is a <see cref="BadInputException"/> naming host and port.
    /// </summary>
    public static FleetDatabase OpenPostgres(string connectionString)
    {
        NpgsqlConnectionStringBuilder settings = PostgresSettings(connectionString);
        string where = $"PostgreSQL {settings.Host ?? "localhost"}:{settings.Port}/{settings.Database ?? settings.Username ?? "(default database)"}";
        NpgsqlDataSource source = NpgsqlDataSource.Create(settings);
        var db = new FleetDatabase(SqlDialect.Postgres, where, null, source);
        try
        {
            db.ApplySchema();
            return db;
        }
        catch (NpgsqlException e)
        {
            source.Dispose();
            throw new BadInputException($"cannot use the fleet database at {where}: {e.Message}");
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The fleet pool's settings from the operator's connection string: what the string sets is kept, what it leaves
    /// out gets the fleet's defaults below. A string Npgsql cannot read is a <see cref="BadInputException"/>.
    /// </summary>
    internal static NpgsqlConnectionStringBuilder PostgresSettings(string connectionString)
    {
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new BadInputException($"PostgreSQL connection string: {e.Message}");
        }
        // A pooled connection whose session the server ended (a database restart) is found out only by its next use,
        // which then fails. A keepalive query on each connection idle for a second finds it first, so the pool drops
        // it and a restart fails only the calls in flight at that moment. Kept if the connection string sets one.
        if (settings.KeepAlive == 0) settings.KeepAlive = 1;
        // The fleet runs a few statements over and over, once or more per device and update; PostgreSQL plans each
        // anew unless it is prepared (the next-update query: ≈ 5 ms to plan, 1 ms to run, measured mid-rollout). Used
        // twice on a pooled connection, a statement is prepared there and planned once. Kept if the string sets its own.
        if (settings.MaxAutoPrepare == 0) (settings.MaxAutoPrepare, settings.AutoPrepareMinUsages) = (64, 2);
        // Nothing the fleet does outlives its transaction on a connection (its locks are transaction-scoped), so a
        // connection going back to the pool needs no reset: Npgsql's reset is six statements the server runs on the
        // connection's next use — ≈ 15 such resets an update, 150,000 over a 5,000-device load test's two rollouts.
        if (!Sets(connectionString, "noresetonclose")) settings.NoResetOnClose = true;
        return settings;
    }

    /// <summary>Whether <paramref name="connectionString"/> names <paramref name="keyword"/> (any case, spaces ignored).</summary>
    private static bool Sets(string connectionString, string keyword) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals(keyword, StringComparison.OrdinalIgnoreCase));

    public DbConnection Open()
    {
        if (_postgres is not null) return _postgres.OpenConnection();
        var c = new SqliteConnection(_sqliteConnectionString);
        c.Open();
        // WAL + NORMAL: a commit survives the server being killed (the chaos restart-cloud case) without an fsync per
        // commit; after power loss the last commits may roll back, and devices re-report what they hold in their Hello.
        // A writer that finds another one mid-transaction waits in SQLite's own busy handler (sleeps of 1 ms rising
        // to 100 ms) instead of failing at once into Microsoft.Data.Sqlite's retry loop, which sleeps 150 ms a turn.
        Execute(c, "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
        return c;
    }

    /// <summary>
    /// A write transaction serialized with every other one on the same <paramref name="key"/>, across processes, so a
    /// read-then-write inside it cannot interleave with another: SQLite takes the file's write lock at BEGIN
    /// (IMMEDIATE; one writer at a time anyway); PostgreSQL (read committed) takes a transaction-scoped advisory lock
    /// on the key, released at commit or rollback, after which each statement sees what the previous holder committed.
    /// </summary>
    public DbTransaction BeginWrite(DbConnection c, string key)
    {
        if (c is SqliteConnection sqlite) return sqlite.BeginTransaction(deferred: false);
        DbTransaction tx = c.BeginTransaction();
        Execute(c, "SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", ("@key", key));
        return tx;
    }

    /// <summary>
    /// Inside a transaction on <paramref name="c"/>: waits while a <see cref="BeginWrite"/> on <paramref name="key"/>
    /// holds it, without excluding other shared holders (PostgreSQL: a shared transaction-scoped advisory lock). SQLite
    /// needs none: its write transactions run one at a time.
    /// </summary>
    public static void LockShared(DbConnection c, string key)
    {
        if (c is not SqliteConnection) Execute(c, "SELECT pg_advisory_xact_lock_shared(hashtextextended(@key, 0))", ("@key", key));
    }

    /// <summary>
    /// Checks the stored schema version before touching anything (a database of another version is refused, nothing
    /// changed), then creates what is missing, in one transaction under the schema lock. A database that already holds
    /// this build's schema script (its SHA-256 is stored in meta) is left alone: even CREATE INDEX IF NOT EXISTS locks its
    /// table against writes first, and a node restarting into a busy cluster deadlocked against the other nodes'
    /// multi-table writes (chaos kill-node, PostgreSQL 40P01).
    /// </summary>
    private void ApplySchema()
    {
        using DbConnection c = Open();
        if (Dialect == SqlDialect.Sqlite) Execute(c, "PRAGMA journal_mode=WAL;");
        using DbTransaction tx = BeginWrite(c, "fleet schema");
        string expected = SchemaVersion.ToString(CultureInfo.InvariantCulture);
        string script = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Dialect.Schema)));
        if (Scalar<long>(c, Dialect.TableExists, ("@table", "meta")) > 0)
        {
            if (Scalar<string>(c, "SELECT value FROM meta WHERE key = 'schema_version'") is { } version && version != expected)
                throw new InvalidDataException($"{Where}: fleet database schema v{version}, this build reads v{expected}.");
            if (Scalar<string>(c, "SELECT value FROM meta WHERE key = 'schema_script_sha256'") == script)
            {
                tx.Commit();
                return;
            }
        }
        Execute(c, Dialect.Schema);
        if (Dialect == SqlDialect.Sqlite)
        {
            // Added with staged rollouts; a file from before reads its rollouts as one group each.
            if (Scalar<long>(c, "SELECT COUNT(*) FROM pragma_table_info('rollout_devices') WHERE name = 'group_number'") == 0)
                Execute(c, "ALTER TABLE rollout_devices ADD COLUMN group_number INTEGER NOT NULL DEFAULT 1");
            // The device's latest temperature reading moved into its row; a file from before takes each device's newest reading from its history.
            if (Scalar<long>(c, "SELECT COUNT(*) FROM pragma_table_info('devices') WHERE name = 'temperature_k'") == 0)
            {
                Execute(c, "ALTER TABLE devices ADD COLUMN temperature_k REAL");
                Execute(c, """
                    UPDATE devices SET temperature_k = (SELECT h.temperature_k FROM telemetry_history h
                      WHERE h.device_id = devices.device_id AND h.temperature_k IS NOT NULL ORDER BY h.unix_ms DESC, h.rowid DESC LIMIT 1)
                    """);
            }
            // Counting a staged rollout's open groups reads this index alone.
            Execute(c, "CREATE INDEX IF NOT EXISTS rollout_devices_group ON rollout_devices (rollout_id, group_number, status)");
        }
        Execute(c, "INSERT INTO meta (key, value) VALUES ('schema_script_sha256', @s) ON CONFLICT (key) DO UPDATE SET value = excluded.value", ("@s", script));
        tx.Commit();
    }

    /// <summary>An empty batch of statements for this database (<see cref="StatementBatch"/>).</summary>
    public StatementBatch Batch() => new(Dialect);

    /// <summary>Runs <paramref name="batch"/> on a pooled connection of its own (<see cref="StatementBatch.Execute"/>).</summary>
    public StatementBatch.Result[] Run(StatementBatch batch)
    {
        using DbConnection c = Open();
        return batch.Execute(c);
    }

    /// <summary>Runs <paramref name="batch"/> on a pooled connection of its own, on PostgreSQL in one round trip (<see cref="StatementBatch.ExecuteAsync"/>).</summary>
    public async Task<StatementBatch.Result[]> RunAsync(StatementBatch batch)
    {
        using DbConnection c = Open();
        return await batch.ExecuteAsync(c).ConfigureAwait(false);
    }

    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static int Execute(DbConnection c, string sql, params (string Name, object? Value)[] args)
    {
        using DbCommand cmd = Command(c, sql, args);
        return cmd.ExecuteNonQuery();
    }

    public static T? Scalar<T>(DbConnection c, string sql, params (string Name, object? Value)[] args)
    {
        using DbCommand cmd = Command(c, sql, args);
        object? value = cmd.ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>A command with @name parameters (both engines take that spelling).</summary>
    public static DbCommand Command(DbConnection c, string sql, params (string Name, object? Value)[] args)
    {
        DbCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach ((string name, object? value) in args)
        {
            DbParameter p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    public void Dispose() => _postgres?.Dispose();
}
