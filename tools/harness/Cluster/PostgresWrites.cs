using Npgsql;

namespace EdgeSkyrmion.Harness.Cluster;

/// <summary>
/// Rows a PostgreSQL database has written, per table, from its own statistics (pg_stat_user_tables: inserted +
/// updated + deleted). A backend reports its counts when its session ends or, idle, within about 10 s
/// (PostgreSQL 15's PGSTAT_IDLE_INTERVAL), so a reading waits <c>settle</c> first.
/// </summary>
public static class PostgresWrites
{
    /// <summary>How long a server's idle pooled sessions take at most to report their counts.</summary>
    public static readonly TimeSpan IdleFlush = TimeSpan.FromSeconds(11);

    public static Dictionary<string, long> PerTable(string connectionString, TimeSpan settle)
    {
        Thread.Sleep(settle);
        using var c = new NpgsqlConnection(connectionString);
        c.Open();
        using var cmd = new NpgsqlCommand("SELECT pg_stat_clear_snapshot(); SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables", c);
        using NpgsqlDataReader r = cmd.ExecuteReader();
        r.NextResult();
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        while (r.Read()) rows[r.GetString(0)] = r.GetInt64(1);
        return rows;
    }

    /// <summary>The tables that wrote rows between two readings, and how many.</summary>
    public static Dictionary<string, long> Since(Dictionary<string, long> before, Dictionary<string, long> after) =>
        after.Select(t => (t.Key, Rows: t.Value - before.GetValueOrDefault(t.Key))).Where(t => t.Rows > 0).ToDictionary(t => t.Key, t => t.Rows, StringComparer.Ordinal);
}
