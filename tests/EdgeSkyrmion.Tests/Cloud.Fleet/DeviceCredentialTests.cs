using System.Diagnostics;
using System.Text.Json;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>
/// Device credentials with real processes: `fleet device revoke` closes the device's open stream within seconds and
/// its next Hello is refused; `fleet device rotate-token` issues a new token that works while the old one does not.
/// </summary>
[Collection(RealProcessCollection.Name)]
public sealed class DeviceCredentialTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "eskt-devcred-" + Guid.NewGuid().ToString("N"));

    public DeviceCredentialTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static async Task<uint> ConnectedAfterAsync(OperatorConnection ops, uint expected, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        uint connected;
        while ((connected = (await ops.Client.GetHealthAsync(new GetHealthRequest())).ConnectedDevices) != expected && clock.Elapsed < timeout) await Task.Delay(50);
        return connected;
    }

    [Fact]
    public async Task ARevokedDeviceIsCutOffAndARotatedTokenReplacesTheOld()
    {
        string db = Path.Combine(_root, "fleet.db");
        (LoopbackProcesses.Running server, Uri grpc, _) = LoopbackProcesses.StartServer(db);
        using (server)
        {
            string[] at = ["--server", grpc.ToString(), "--operator-token-file", OperatorToken.PathBeside(db)];
            using var ops = OperatorConnection.FromTokenFile(grpc, OperatorToken.PathBeside(db));
            string state = Path.Combine(_root, "edge"), key = Path.Combine(_root, "cloud-key.der");
            string token = (await ops.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = "wrist-cut" })).Token;
            Assert.Equal(0, CliProcess.Run(["fleet", "signing-key", "--out", key, .. at]).ExitCode);
            Assert.Equal(0, EdgeProcess.Run("provision", "--state", state, "--device-id", "wrist-cut").ExitCode);
            Assert.Equal(0, EdgeProcess.Run("trust", "--state", state, "--cloud-key", key, "--token", token, "--ca", LoopbackProcesses.CaBeside(db)).ExitCode);
            string[] run = ["run", "--cloud", grpc.ToString(), "--device-id", "wrist-cut", "--state", state];

            using (LoopbackProcesses.Running edge = LoopbackProcesses.Start("edge.dll", run))
            {
                Assert.Equal(1u, await ConnectedAfterAsync(ops, 1, TimeSpan.FromSeconds(60)));
                var clock = Stopwatch.StartNew();
                CliProcess.Outcome revoked = CliProcess.Run(["fleet", "device", "revoke", "wrist-cut", "--json", .. at]);
                Assert.True(revoked.ExitCode == 0, revoked.Stderr);
                Assert.True(JsonDocument.Parse(revoked.Stdout).RootElement.GetProperty("was_connected").GetBoolean());
                Assert.True(edge.Process.WaitForExit(10_000), "the edge kept running after its credentials were revoked:\n" + edge.Log);
                edge.Process.WaitForExit(); // drains the redirected output
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
                Assert.Contains("device wrist-cut: its credentials were revoked.", edge.Log);
                Assert.NotEqual(0, edge.Process.ExitCode);
            }
            Assert.Equal(0u, await ConnectedAfterAsync(ops, 0, TimeSpan.FromSeconds(10)));

            using (LoopbackProcesses.Running again = LoopbackProcesses.Start("edge.dll", run))
            {
                Assert.True(again.Process.WaitForExit(30_000), again.Log);
                again.Process.WaitForExit();
                Assert.Contains("unknown device wrist-cut or invalid token", again.Log);
            }

            CliProcess.Outcome rotated = CliProcess.Run(["fleet", "device", "rotate-token", "wrist-cut", "--json", .. at]);
            Assert.True(rotated.ExitCode == 0, rotated.Stderr);
            string fresh = JsonDocument.Parse(rotated.Stdout).RootElement.GetProperty("token").GetString()!;
            Assert.NotEqual(token, fresh);
            Assert.Equal(0, EdgeProcess.Run("trust", "--state", state, "--cloud-key", key, "--token", fresh).ExitCode);
            using (LoopbackProcesses.Running back = LoopbackProcesses.Start("edge.dll", run))
            {
                Assert.Equal(1u, await ConnectedAfterAsync(ops, 1, TimeSpan.FromSeconds(60)));
                Assert.False(back.Process.HasExited, back.Log);
            }
        }
    }
}
