using System.Data.Common;
using Npgsql;

namespace EdgeSkyrmion.Cloud.Fleet.Storage;

/// <summary>
/// Statements that reach the database together, all or none, each seeing what the ones before it wrote. PostgreSQL
/// receives them in one round trip (<see cref="ExecuteAsync"/>: an <see cref="NpgsqlBatch"/>, one implicit
/// transaction or the caller's); SQLite, in-process, runs them one after another in one transaction. On the cluster
/// database a statement's round trip, not its execution, was most of what it cost (pg_stat_statements: 1.5 ms of
/// execution against 4.4 ms of server CPU an update, docs/fleet.md), so an update's writes go as one batch each.
/// </summary>
public sealed class StatementBatch(SqlDialect dialect)
{
    private readonly List<(string Sql, (string Name, object? Value)[] Args, Func<DbDataReader, object?>? Read)> _statements = [];

    /// <summary>
    /// What a statement did: the rows it changed or returned, and what its first returned row read as (its first
    /// column, or what the reader of <see cref="AddQuery"/> made of it).
    /// </summary>
    public readonly record struct Result(int Rows, object? Value);

    public SqlDialect Dialect { get; } = dialect;

    /// <summary>Statements in the batch: its results' length.</summary>
    public int Count => _statements.Count;

    /// <summary>Adds <paramref name="other"/>'s statements after this batch's; returns where their results start.</summary>
    public int Append(StatementBatch other)
    {
        if (other.Dialect != Dialect) throw new ArgumentException($"a {other.Dialect} batch cannot join a {Dialect} one.", nameof(other));
        int start = _statements.Count;
        _statements.AddRange(other._statements);
        return start;
    }

    /// <summary>Adds a statement that returns no rows; its index is where <see cref="Execute"/> reports what it changed.</summary>
    public int Add(string sql, params (string Name, object? Value)[] args)
    {
        _statements.Add((sql, args, null));
        return _statements.Count - 1;
    }

    /// <summary>Adds a statement that returns rows (RETURNING, or a query); its index is where <see cref="Execute"/> reports them.</summary>
    public int AddReturning(string sql, params (string Name, object? Value)[] args) => AddQuery(sql, FirstColumn, args);

    /// <summary>
    /// Adds a statement that returns rows, whose first row <paramref name="read"/> turns into the result's value (a
    /// whole record read in the batch's round trip); its index is where <see cref="Execute"/> reports it.
    /// </summary>
    public int AddQuery(string sql, Func<DbDataReader, object?> read, params (string Name, object? Value)[] args)
    {
        _statements.Add((sql, args, read));
        return _statements.Count - 1;
    }

    private static object? FirstColumn(DbDataReader r) => r.IsDBNull(0) ? null : r.GetValue(0);

    /// <summary>
    /// Runs every statement in order on <paramref name="c"/>: inside <paramref name="tx"/> when the caller has one
    /// open, else as one transaction of their own; on PostgreSQL in one round trip. A failing statement throws and
    /// leaves nothing of the batch behind.
    /// </summary>
    public async Task<Result[]> ExecuteAsync(DbConnection c, DbTransaction? tx = null)
    {
        if (c is not NpgsqlConnection postgres || _statements.Count == 0) return Execute(c, tx);
        var results = new Result[_statements.Count];
        // Not cancellable: once sent, a batch's writes should land whole or not at all, never be cut off by a caller leaving.
        await using var batch = new NpgsqlBatch(postgres, (NpgsqlTransaction?)tx);
        foreach ((string sql, (string Name, object? Value)[] args, _) in _statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach ((string name, object? value) in args) command.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
            batch.BatchCommands.Add(command);
        }
        await using (NpgsqlDataReader r = await batch.ExecuteReaderAsync().ConfigureAwait(false))
        {
            // Only statements that return rows open a result set, in the batch's order.
            bool more = true;
            for (int i = 0; i < _statements.Count; i++)
            {
                if (_statements[i].Read is not { } read) continue;
                if (!more) throw new InvalidOperationException($"PostgreSQL returned no rows for statement {i + 1} of the batch: {_statements[i].Sql}");
                int rows = 0;
                object? first = null;
                while (await r.ReadAsync().ConfigureAwait(false))
                    if (rows++ == 0) first = read(r);
                results[i] = new Result(rows, first);
                more = await r.NextResultAsync().ConfigureAwait(false);
            }
        }
        for (int i = 0; i < _statements.Count; i++)
            if (_statements[i].Read is null) results[i] = new Result(checked((int)batch.BatchCommands[i].RecordsAffected), null);
        return results;
    }

    /// <summary>
    /// <see cref="ExecuteAsync"/> for a caller that cannot wait without a thread: the same statements and transaction,
    /// but on PostgreSQL one round trip a statement. Npgsql sends a synchronous batch's statements after the first on
    /// one thread of its own for the whole process; under a rollout's load that thread held up every writer of a node
    /// until the cluster declared it dead (a 5,000-device load test, 2026-12-02, and the same stall in four runs of four
    /// with the telemetry insert and trim as one command, docs/fleet.md).
    /// </summary>
    public Result[] Execute(DbConnection c, DbTransaction? tx = null)
    {
        var results = new Result[_statements.Count];
        if (_statements.Count == 0) return results;
        DbTransaction? own = tx is null && _statements.Count > 1 ? c.BeginTransaction() : null;
        try
        {
            for (int i = 0; i < _statements.Count; i++)
            {
                (string sql, (string, object?)[] args, Func<DbDataReader, object?>? read) = _statements[i];
                using DbCommand cmd = FleetDatabase.Command(c, sql, args);
                if (read is null)
                {
                    results[i] = new Result(cmd.ExecuteNonQuery(), null);
                    continue;
                }
                using DbDataReader r = cmd.ExecuteReader();
                results[i] = ReadResult(r, read);
            }
            own?.Commit();
        }
        finally
        {
            own?.Dispose();
        }
        return results;
    }

    private static Result ReadResult(DbDataReader r, Func<DbDataReader, object?> read)
    {
        int rows = 0;
        object? first = null;
        while (r.Read())
            if (rows++ == 0) first = read(r);
        return new Result(rows, first);
    }
}
