using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using EdgeSkyrmion.Cloud.Fleet.Storage;

namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>
/// Orleans' PostgreSQL schema (Cluster/Schema, embedded): applied to a database without it, checked on one that has
/// it. Nodes starting together serialize on the database's write lock for it, so the scripts run once.
/// </summary>
public static partial class OrleansSchema
{
    private static readonly string[] Scripts = ["PostgreSQL-Main", "PostgreSQL-Clustering", "PostgreSQL-Persistence", "PostgreSQL-Reminders"];

    /// <summary>
    /// Creates Orleans' tables, functions and queries in the cluster's database unless it has them; returns whether it
    /// did. One whose Orleans queries lack any this build needs is an <see cref="InvalidDataException"/> naming them,
    /// and nothing is changed.
    /// </summary>
    public static bool Apply(FleetDatabase db)
    {
        using DbConnection c = db.Open();
        using DbTransaction tx = db.BeginWrite(c, "orleans schema");
        string[] scripts = [.. Scripts.Select(Read)];
        HashSet<string> needed = [.. scripts.SelectMany(s => QueryKey().Matches(s).Select(m => m.Groups[1].Value))];
        if (FleetDatabase.Scalar<long>(c, db.Dialect.TableExists, ("@table", "orleansquery")) > 0)
        {
            var have = new HashSet<string>();
            using (DbCommand cmd = FleetDatabase.Command(c, "SELECT querykey FROM orleansquery"))
            using (DbDataReader r = cmd.ExecuteReader())
                while (r.Read()) have.Add(r.GetString(0));
            string[] missing = [.. needed.Except(have).Order(StringComparer.Ordinal)];
            if (missing.Length > 0)
                throw new InvalidDataException($"cluster database {db.Where}: its Orleans schema lacks the queries {string.Join(", ", missing)} " +
                    "that this build's providers use; it belongs to another Orleans version. Use an empty database, or migrate it with the scripts in src/Cloud.Fleet/Cluster/Schema.");
            tx.Commit();
            return false;
        }
        foreach (string script in scripts) FleetDatabase.Execute(c, script);
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

    /// <summary>A query's key as the scripts insert it: <c>'ReadReminderRowKey','</c> at the start of a line.</summary>
    [GeneratedRegex(@"^\s*'(\w+Key)',", RegexOptions.Multiline)]
    private static partial Regex QueryKey();
}
