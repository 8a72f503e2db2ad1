using EdgeSkyrmion.Harness.Cluster;
using Npgsql;

namespace EdgeSkyrmion.Tests.Reliability;

/// <summary>The load test's statement profile on a real throwaway PostgreSQL that loads pg_stat_statements, and on one that does not.</summary>
public class PostgresStatementsTests
{
    [Fact]
    public void AStatementRunSinceTheResetIsCountedWithItsCallsAndOneRunBeforeItIsNot()
    {
        using ThrowawayPostgres server = ThrowawayPostgres.Create(statements: true);
        string db = server.CreateDatabase("profiled");
        using (var c = new NpgsqlConnection(db))
        {
            c.Open();
            Run(c, "CREATE TABLE profiled_probe (x int)");
            Run(c, "SELECT count(*) FROM profiled_probe");
            PostgresStatements.Reset(db);
            for (int i = 0; i < 5; i++) Run(c, "INSERT INTO profiled_probe VALUES (" + i + ")");
        }

        PostgresStatements.Profile p = PostgresStatements.Read(db, top: 50);
        PostgresStatements.Statement insert = Assert.Single(p.Top, s => s.Query.StartsWith("INSERT INTO profiled_probe", StringComparison.Ordinal));
        // Constants are normalized away: five inserts of different values are one statement called five times.
        Assert.Equal((5L, 5L), (insert.Calls, insert.Rows));
        Assert.DoesNotContain(p.Top, s => s.Query.Contains("CREATE TABLE", StringComparison.Ordinal) || s.Query.Contains("count(*)", StringComparison.Ordinal));
        Assert.True(p.Calls >= 5 && p.TotalMs >= insert.TotalMs, $"{p.Calls} calls, {p.TotalMs} ms in all");
    }

    [Fact]
    public void AServerThatDoesNotLoadTheExtensionIsRefusedNamingWhy()
    {
        using ThrowawayPostgres server = ThrowawayPostgres.Create();
        var e = Assert.Throws<InvalidOperationException>(() => PostgresStatements.Reset(server.CreateDatabase("plain")));
        Assert.Contains("shared_preload_libraries", e.Message, StringComparison.Ordinal);
    }

    private static void Run(NpgsqlConnection c, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }
}
