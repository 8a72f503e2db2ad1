using System.Reflection;
using System.Text.RegularExpressions;
using Npgsql;

namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>
/// Orleans' PostgreSQL schema (Cluster/Schema, embedded): applied to an empty database, checked on one that has it.
/// Nodes starting together serialize on an advisory lock, so the scripts run once.
/// </summary>
public static partial class OrleansSchema
{
    private static readonly string[] Scripts = ["PostgreSQL-Main", "PostgreSQL-Clustering", "PostgreSQL-Persistence", "PostgreSQL-Reminders"];

    /// <summary>Any fixed number: the advisory lock every node of this fleet takes while it applies the schema.</summary>
    private const long LockKey = 0x45_64_67_65_53_6b_79;

    /// <summary>
    /// Creates Orleans' tables, functions and queries unless the database has them; returns whether it did. An unreachable
    /// database is an <see cref="ArgumentException"/> naming host, port and database; one whose Orleans queries lack any
    /// this build needs is an <see cref="InvalidDataException"/> naming them. Nothing is changed in either case.
    /// </summary>
    public static bool Apply(string connectionString)
    {
        using NpgsqlConnection c = ClusterDatabase.Open(connectionString);
        using NpgsqlTransaction tx = c.BeginTransaction();
        Execute(c, $"SELECT pg_advisory_xact_lock({LockKey})");
        bool present = Scalar(c, "SELECT to_regclass('orleansquery') IS NOT NULL") is true;
        string[] scripts = [.. Scripts.Select(Read)];
        HashSet<string> needed = [.. scripts.SelectMany(s => QueryKey().Matches(s).Select(m => m.Groups[1].Value))];
        if (present)
        {
            var have = new HashSet<string>();
            using (var cmd = new NpgsqlCommand("SELECT querykey FROM orleansquery", c))
            using (NpgsqlDataReader r = cmd.ExecuteReader())
                while (r.Read()) have.Add(r.GetString(0));
            string[] missing = [.. needed.Except(have).Order(StringComparer.Ordinal)];
            if (missing.Length > 0)
                throw new InvalidDataException($"cluster database {ClusterDatabase.Describe(connectionString)}: its Orleans schema lacks the queries {string.Join(", ", missing)} " +
                    "that this build's providers use; it belongs to another Orleans version. Use an empty database, or migrate it with the scripts in src/Cloud.Fleet/Cluster/Schema.");
            tx.Commit();
            return false;
        }
        foreach (string script in scripts) Execute(c, script);
        tx.Commit();
        return true;
    }

    private static string Read(string name)
    {
        using Stream s = Assembly.GetExecutingAssembly().GetManifestResourceStream($"EdgeSkyrmion.Cloud.Fleet.Cluster.Schema.{name}.sql")
            ?? throw new InvalidOperationException($"{name}.sql is not embedded in this build.");
        using var reader = new StreamReader(s);
        return reader.ReadToEnd();
    }

    private static void Execute(NpgsqlConnection c, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(NpgsqlConnection c, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c);
        return cmd.ExecuteScalar();
    }

    /// <summary>A query's key as the scripts insert it: <c>'ReadReminderRowKey','</c> at the start of a line.</summary>
    [GeneratedRegex(@"^\s*'(\w+Key)',", RegexOptions.Multiline)]
    private static partial Regex QueryKey();
}
