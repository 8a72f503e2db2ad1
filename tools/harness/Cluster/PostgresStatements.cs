using System.Text.RegularExpressions;
using Npgsql;

namespace EdgeSkyrmion.Harness.Cluster;

/// <summary>
/// Where a PostgreSQL database's statement time goes, from its own extension pg_stat_statements (loaded at the server's
/// start: <see cref="ThrowawayPostgres.Create"/> with <c>statements: true</c>): every statement the fleet ran since a
/// reset, with its calls and execution time, counted over the whole server (every node's connections).
/// </summary>
public static partial class PostgresStatements
{
    /// <summary>One normalized statement (constants replaced by $n) and what it cost.</summary>
    public sealed record Statement(string Query, long Calls, double TotalMs, double MeanMs, long Rows);

    /// <summary>All the statements since the reset: how many calls in all, their execution time, and the costliest.</summary>
    public sealed record Profile(long Calls, double TotalMs, IReadOnlyList<Statement> Top);

    /// <summary>Installs the extension in the database (idempotent) and starts its counts from zero.</summary>
    public static void Reset(string connectionString)
    {
        using var c = new NpgsqlConnection(connectionString);
        c.Open();
        using var cmd = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()", c);
        try
        {
            cmd.ExecuteNonQuery();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectNotInPrerequisiteState)
        {
            throw new InvalidOperationException("pg_stat_statements is not loaded by this server (shared_preload_libraries): start it with statements on.", e);
        }
    }

    /// <summary>What ran since <see cref="Reset"/> in the database, the <paramref name="top"/> costliest by total execution time.</summary>
    public static Profile Read(string connectionString, int top)
    {
        using var c = new NpgsqlConnection(connectionString);
        c.Open();
        // Only this database's statements, and not the reading itself.
        using var cmd = new NpgsqlCommand("""
            SELECT query, calls, total_exec_time, rows FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'
            ORDER BY total_exec_time DESC
            """, c);
        using NpgsqlDataReader r = cmd.ExecuteReader();
        var all = new List<Statement>();
        while (r.Read())
        {
            long calls = r.GetInt64(1);
            double ms = r.GetDouble(2);
            all.Add(new Statement(Whitespace().Replace(r.GetString(0), " ").Trim(), calls, ms, calls == 0 ? 0 : ms / calls, r.GetInt64(3)));
        }
        return new Profile(all.Sum(s => s.Calls), all.Sum(s => s.TotalMs), [.. all.Take(top)]);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
