using EdgeSkyrmion.Harness.Cluster;

namespace EdgeSkyrmion.Tests.Fleet.Storage;

/// <summary>
/// One throwaway PostgreSQL 15 (its own data folder, port and socket, removed afterwards) for every test in
/// <see cref="PostgresCollection"/>; each test takes a fresh database in it.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public ThrowawayPostgres Server { get; } = ThrowawayPostgres.Create();

    /// <summary>A new empty database; returns its connection string.</summary>
    public string NewDatabase() => Server.CreateDatabase("fleet_" + Guid.NewGuid().ToString("N")[..16]);

    public void Dispose() => Server.Dispose();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
