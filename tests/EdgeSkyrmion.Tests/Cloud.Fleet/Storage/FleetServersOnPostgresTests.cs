using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Fleet.Storage;

/// <summary>
/// Real `fleet-server serve --db-postgres` processes on one real PostgreSQL: what one server stores (a registered
/// device, a published model) the other serves; an unreachable database stops the server at start with exit 1 and
/// an error naming host and port.
/// </summary>
[Collection(RealProcessCollection.Name)]
public sealed class FleetServersOnPostgresTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private readonly string _root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "eskt-pgserve-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task ADeviceRegisteredAndAModelPublishedOnOneServerAreSeenByAnother()
    {
        string database = postgres.NewDatabase();
        string dbA = Path.Combine(_root, "a", "fleet.db"), dbB = Path.Combine(_root, "b", "fleet.db");
        (LoopbackProcesses.Running a, Uri grpcA, _) = LoopbackProcesses.StartServer(dbA, "--db-postgres", database);
        using (a)
        {
            (LoopbackProcesses.Running b, Uri grpcB, _) = LoopbackProcesses.StartServer(dbB, "--db-postgres", database);
            using (b)
            {
                CliProcess.Outcome registered = CliProcess.Run("fleet", "register", "--device-id", "wrist-pg", "--server", grpcA.ToString(), "--operator-token-file", OperatorToken.PathBeside(dbA));
                Assert.True(registered.ExitCode == 0, registered.Stderr);
                ModelImage v1 = TestImages.Random([20, 8, 4], 1, seed: 3);
                using (var opsA = OperatorConnection.FromTokenFile(grpcA, OperatorToken.PathBeside(dbA)))
                    await opsA.Client.PublishModelAsync(new PublishModelRequest { Image = v1.ToByteString() });

                using var opsB = OperatorConnection.FromTokenFile(grpcB, OperatorToken.PathBeside(dbB));
                Assert.Equal("wrist-pg", (await opsB.Client.ListDevicesAsync(new ListDevicesRequest())).Devices.Single().DeviceId);
                ModelEntry model = (await opsB.Client.ListModelsAsync(new ListModelsRequest())).Models.Single();
                Assert.Equal((v1.ModelId, 1UL), (model.ModelId, model.Version));
                Assert.Contains("cluster database PostgreSQL 127.0.0.1:", b.Log);
            }
        }
        Assert.False(File.Exists(dbA), "with --db-postgres no SQLite file is created");
    }

    [Fact]
    public void AnUnreachableDatabaseStopsTheServerWithExit1NamingHostAndPort()
    {
        int port = LoopbackProcesses.FreePort();
        CliProcess.Outcome serve = CliProcess.RunProgram("fleet-server.dll", null, "serve", "--urls", $"https://127.0.0.1:{LoopbackProcesses.FreePort()}",
            "--db", Path.Combine(_root, "fleet.db"), "--db-postgres", $"Host=127.0.0.1;Port={port};Username=postgres;Database=fleet;Timeout=5");
        Assert.Equal(1, serve.ExitCode);
        Assert.Contains($"cannot use the fleet database at PostgreSQL 127.0.0.1:{port}/fleet", serve.Stderr);
    }
}
