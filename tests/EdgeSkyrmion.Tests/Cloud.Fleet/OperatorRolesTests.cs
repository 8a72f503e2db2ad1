using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;
using Microsoft.Data.Sqlite;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>
/// Operator roles and the audit log with a real `fleet-server serve` and the real CLI: a viewer reads but cannot
/// start a rollout (gRPC or JSON), an admin can; every state-changing call, done or refused, is an audit row naming
/// who, what, on what, from where; rows cannot be changed or deleted.
/// </summary>
[Collection(RealProcessCollection.Name)]
public sealed class OperatorRolesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "eskt-roles-" + Guid.NewGuid().ToString("N"));

    public OperatorRolesTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task AViewerCannotStartARolloutAndEveryChangeIsAudited()
    {
        string db = Path.Combine(_root, "fleet.db");
        (LoopbackProcesses.Running server, Uri grpc, Uri http1) = LoopbackProcesses.StartServer(db);
        using (server)
        {
            string adminFile = OperatorToken.PathBeside(db), viewerFile = Path.Combine(_root, "viewer.token");
            string[] asAdmin = ["--server", grpc.ToString(), "--operator-token-file", adminFile];
            string[] asViewer = ["--server", grpc.ToString(), "--operator-token-file", viewerFile, "--ca", LoopbackProcesses.CaBeside(db)];
            CliProcess.Outcome added = CliProcess.Run(["fleet", "operator", "add", "--name", "vera", "--role", "viewer", "--json", .. asAdmin]);
            Assert.True(added.ExitCode == 0, added.Stderr);
            string viewerToken = JsonDocument.Parse(added.Stdout).RootElement.GetProperty("token").GetString()!;
            await File.WriteAllTextAsync(viewerFile, viewerToken);
            Assert.Equal(0, CliProcess.Run(["fleet", "register", "--device-id", "wrist-aud", .. asAdmin]).ExitCode);
            using (var ops = OperatorConnection.FromTokenFile(grpc, adminFile))
                await ops.Client.PublishModelAsync(new PublishModelRequest { Image = TestImages.Random([20, 8, 4], 1, seed: 3).ToByteString() });

            CliProcess.Outcome devices = CliProcess.Run(["fleet", "devices", .. asViewer]);
            Assert.True(devices.ExitCode == 0, devices.Stderr);
            Assert.Contains("wrist-aud", devices.Stdout);
            CliProcess.Outcome refused = CliProcess.Run(["fleet", "rollout", "--model-id", "test-model", "--version", "1", .. asViewer]);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("operator vera is a viewer: StartRollout needs the admin role", refused.Stderr);
            using (HttpClient http = LoopbackProcesses.Http(http1, db))
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/rollouts") { Content = JsonContent.Create(new { model_id = "test-model", version = 1 }) };
                request.Headers.Authorization = new("Bearer", viewerToken);
                Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(request)).StatusCode);
            }
            using (var viewer = new OperatorConnection(grpc, viewerToken, PinnedCa.Load(LoopbackProcesses.CaBeside(db))))
            {
                Assert.Equal("wrist-aud", (await viewer.Client.ListDevicesAsync(new ListDevicesRequest())).Devices.Single().DeviceId);
                Assert.Contains("needs the admin role", (await Assert.ThrowsAsync<ArgumentException>(async () =>
                    await viewer.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = "sneaky" }))).Message);
            }
            CliProcess.Outcome rollout = CliProcess.Run(["fleet", "rollout", "--model-id", "test-model", "--version", "1", .. asAdmin]);
            Assert.True(rollout.ExitCode == 0, rollout.Stderr);

            CliProcess.Outcome audit = CliProcess.Run(["fleet", "audit", "--json", .. asViewer]);
            Assert.True(audit.ExitCode == 0, audit.Stderr);
            var rows = JsonDocument.Parse(audit.Stdout).RootElement.GetProperty("entries").EnumerateArray()
                .Select(e => (Who: e.GetProperty("operator").GetString(), Role: e.GetProperty("role").GetString(), What: e.GetProperty("action").GetString(),
                    Target: e.GetProperty("target").GetString(), From: e.GetProperty("remote").GetString(), Outcome: e.GetProperty("outcome").GetString())).ToList();
            Assert.Equal(["AddOperator", "RegisterDevice", "PublishModel", "StartRollout", "StartRollout", "RegisterDevice", "StartRollout"], rows.Select(r => r.What));
            Assert.Equal(("admin", "admin", "RegisterDevice", "device_id=wrist-aud", "done"), (rows[1].Who, rows[1].Role, rows[1].What, rows[1].Target, rows[1].Outcome));
            Assert.Equal(("vera", "viewer", "model_id=test-model version=1", "refused: not an admin"), (rows[3].Who, rows[3].Role, rows[3].Target, rows[3].Outcome));
            Assert.Equal(("vera", "refused: not an admin"), (rows[4].Who, rows[4].Outcome));
            Assert.Equal(("vera", "device_id=sneaky", "refused: not an admin"), (rows[5].Who, rows[5].Target, rows[5].Outcome));
            Assert.Equal(("admin", "done"), (rows[6].Who, rows[6].Outcome));
            Assert.All(rows, r => Assert.Contains("127.0.0.1", r.From));
            Assert.DoesNotContain(rows, r => r.What is "ListDevices" or "ListAudit");

            using var c = new SqliteConnection($"Data Source={db}");
            c.Open();
            foreach (string change in new[] { "UPDATE audit SET operator = 'nobody'", "DELETE FROM audit" })
            {
                using SqliteCommand cmd = c.CreateCommand();
                cmd.CommandText = change;
                Assert.Contains("append-only", Assert.Throws<SqliteException>(() => cmd.ExecuteNonQuery()).Message);
            }
        }
    }
}
