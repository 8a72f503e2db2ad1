using Npgsql;

namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>Opening the cluster's PostgreSQL database with errors an operator can act on.</summary>
public static class ClusterDatabase
{
    /// <summary>host:port/database of a connection string, without its password.</summary>
    public static string Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{b.Host}:{b.Port}/{b.Database}";
    }

    /// <summary>An open connection; a malformed string, an unreachable server or a refused login is an ArgumentException naming it.</summary>
    public static NpgsqlConnection Open(string connectionString)
    {
        NpgsqlConnectionStringBuilder b;
        try
        {
            b = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--cluster: not a PostgreSQL connection string ({e.Message}); e.g. \"Host=127.0.0.1;Port=5432;Database=fleet;Username=fleet;Password=…\".", e);
        }
        if (string.IsNullOrEmpty(b.Host)) throw new ArgumentException("--cluster: the connection string names no Host.");
        var c = new NpgsqlConnection(connectionString);
        try
        {
            c.Open();
            return c;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            c.Dispose();
            throw new ArgumentException($"cluster database {Describe(connectionString)} is unreachable: {e.Message}", e);
        }
    }
}
