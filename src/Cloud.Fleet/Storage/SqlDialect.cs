namespace EdgeSkyrmion.Cloud.Fleet.Storage;

/// <summary>
/// What differs between the fleet database's two engines, kept to what the stores' SQL cannot say the same way on
/// both: the schema script (types, implicit rowid vs identity column), the position of a substring, how to ask
/// whether a table exists, and how a query locks the rows it reads. Everything else — parameters (@name), ON CONFLICT, RETURNING, LIMIT/OFFSET — is written
/// once.
/// </summary>
public sealed class SqlDialect
{
    // SQLite's write transaction holds the whole file, so its reads need no row lock.
    public static readonly SqlDialect Sqlite = new("SQLite", "sqlite.sql", "instr",
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @table", "");

    public static readonly SqlDialect Postgres = new("PostgreSQL", "postgres.sql", "strpos",
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @table", " FOR UPDATE");

    private readonly string _positionFunction;

    private SqlDialect(string name, string schemaFile, string positionFunction, string tableExists, string lockRows)
    {
        Name = name;
        _positionFunction = positionFunction;
        TableExists = tableExists;
        LockRows = lockRows;
        using Stream stream = typeof(SqlDialect).Assembly.GetManifestResourceStream("EdgeSkyrmion.Cloud.Fleet.Storage.Schema." + schemaFile)
            ?? throw new InvalidOperationException($"the fleet schema {schemaFile} is not embedded in this build.");
        using var reader = new StreamReader(stream);
        Schema = reader.ReadToEnd();
    }

    public string Name { get; }

    /// <summary>The script creating every fleet table, idempotent (IF NOT EXISTS), from Storage/Schema.</summary>
    public string Schema { get; }

    /// <summary>A query counting the tables named @table (0 or 1).</summary>
    public string TableExists { get; }

    /// <summary>
    /// Appended to a query (also the SELECT of an INSERT … SELECT) whose rows a later statement of the same transaction
    /// writes: another transaction reading them the same way waits for this one's commit and then sees its write.
    /// </summary>
    public string LockRows { get; }

    /// <summary>SQL for the 1-based position of <paramref name="needle"/> in <paramref name="haystack"/> (0: absent); unlike LIKE, '%' and '_' stay plain characters.</summary>
    public string Position(string haystack, string needle) => $"{_positionFunction}({haystack}, {needle})";

    public override string ToString() => Name;
}
