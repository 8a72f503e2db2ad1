using EdgeSkyrmion.Cloud.Fleet.Storage;

namespace EdgeSkyrmion.Tests.Fleet.Storage;

/// <summary>
/// A fresh fleet database for one test on either engine: a SQLite file, or a new database in the collection's
/// PostgreSQL. <see cref="Folder"/> is the temporary folder the server keeps its key files in either way.
/// </summary>
public sealed class TestFleetDatabase : IDisposable
{
    private TestFleetDatabase(FleetDatabase db, string folder) => (Db, Folder) = (db, folder);

    public FleetDatabase Db { get; }

    public string Folder { get; }

    /// <summary>The path beside which the server would keep its keys and certificates (and, on SQLite, the database itself).</summary>
    public string DatabasePath => Path.Combine(Folder, "fleet.db");

    public static TestFleetDatabase Sqlite()
    {
        string folder = NewFolder();
        return new TestFleetDatabase(FleetDatabase.OpenSqlite(Path.Combine(folder, "fleet.db")), folder);
    }

    public static TestFleetDatabase Postgres(PostgresServer server) => new(FleetDatabase.OpenPostgres(server.NewDatabase()), NewFolder());

    private static string NewFolder() => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "eskt-fleetdb-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose()
    {
        Db.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
