using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Cloud.Fleet.Tls;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>
/// TLS on a real `fleet-server serve`: a device (and the CLI) that pinned another fleet's CA refuses the server's
/// certificate and never says Hello; a missing certificate file or a plaintext URL without the explicit flag stops
/// `serve` with a clear error before anything is written.
/// </summary>
[Collection(RealProcessCollection.Name)]
public sealed class TlsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "eskt-tls-" + Guid.NewGuid().ToString("N"));

    public TlsTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task ADeviceThatPinnedAnotherCaRefusesTheServer()
    {
        string db = Path.Combine(_root, "fleet.db"), otherDb = Path.Combine(_root, "other", "other.db");
        Directory.CreateDirectory(Path.GetDirectoryName(otherDb)!);
        ServerCertificate.LoadOrCreate(otherDb).Dispose();
        string otherCa = ServerCertificate.CaPathBeside(otherDb);
        (LoopbackProcesses.Running server, Uri grpc, _) = LoopbackProcesses.StartServer(db);
        using (server)
        {
            using var ops = OperatorConnection.FromTokenFile(grpc, OperatorToken.PathBeside(db));
            string token = (await ops.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = "wrist-tls" })).Token;
            string key = Path.Combine(_root, "cloud-key.der"), state = Path.Combine(_root, "edge");
            await File.WriteAllBytesAsync(key, (await ops.Client.GetSigningKeyAsync(new GetSigningKeyRequest())).PublicKeyDer.ToByteArray());
            Assert.Equal(0, EdgeProcess.Run("provision", "--state", state, "--device-id", "wrist-tls").ExitCode);
            Assert.Equal(0, EdgeProcess.Run("trust", "--state", state, "--cloud-key", key, "--token", token, "--ca", otherCa).ExitCode);

            using (LoopbackProcesses.Running edge = LoopbackProcesses.Start("edge.dll", "run", "--cloud", grpc.ToString(), "--device-id", "wrist-tls", "--state", state))
            {
                Assert.True(edge.WaitForLog("its TLS certificate is not one the pinned CA issued", TimeSpan.FromSeconds(60)), edge.Log);
                Assert.Equal(0u, (await ops.Client.GetHealthAsync(new GetHealthRequest())).ConnectedDevices);
                Assert.Null((await ops.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = "wrist-tls" })).Device.LastSeenUnixMs is 0 ? null : "seen");
            }

            CliProcess.Outcome cli = CliProcess.Run("fleet", "devices", "--server", grpc.ToString(), "--operator-token-file", OperatorToken.PathBeside(db), "--ca", otherCa);
            Assert.NotEqual(0, cli.ExitCode);
            Assert.Contains("SSL", cli.Stderr, StringComparison.OrdinalIgnoreCase);

            // The same device with the right CA connects.
            Assert.Equal(0, EdgeProcess.Run("trust", "--state", state, "--cloud-key", key, "--token", token, "--ca", LoopbackProcesses.CaBeside(db)).ExitCode);
            using LoopbackProcesses.Running good = LoopbackProcesses.Start("edge.dll", "run", "--cloud", grpc.ToString(), "--device-id", "wrist-tls", "--state", state);
            uint connected = 0;
            for (int i = 0; i < 600 && (connected = (await ops.Client.GetHealthAsync(new GetHealthRequest())).ConnectedDevices) == 0; i++) await Task.Delay(100);
            Assert.True(connected == 1, good.Log);
        }
    }

    [Fact]
    public void AMissingCertificateAPlaintextUrlOrMutualTlsWithoutTheCaStopsServeBeforeAnythingIsWritten()
    {
        string db = Path.Combine(_root, "fleet.db");
        int port = LoopbackProcesses.FreePort();
        using (LoopbackProcesses.Running missing = LoopbackProcesses.Start("fleet-server.dll", "serve", "--urls", $"https://127.0.0.1:{port}", "--db", db,
                   "--tls-cert", Path.Combine(_root, "absent.pem"), "--tls-key", Path.Combine(_root, "absent-key.pem")))
        {
            Assert.True(missing.Process.WaitForExit(60_000));
            missing.Process.WaitForExit();
            Assert.Equal(1, missing.Process.ExitCode);
            Assert.Contains("absent.pem does not exist", missing.Log);
        }
        using (LoopbackProcesses.Running plain = LoopbackProcesses.Start("fleet-server.dll", "serve", "--urls", $"http://127.0.0.1:{port}", "--db", db))
        {
            Assert.True(plain.Process.WaitForExit(60_000));
            plain.Process.WaitForExit();
            Assert.Equal(1, plain.Process.ExitCode);
            Assert.Contains("plaintext only with --insecure-plaintext", plain.Log);
        }
        using (LoopbackProcesses.Running mutual = LoopbackProcesses.Start("fleet-server.dll", "serve", "--urls", $"http://127.0.0.1:{port}", "--db", db,
                   "--insecure-plaintext", "--require-device-certificates"))
        {
            Assert.True(mutual.Process.WaitForExit(60_000));
            mutual.Process.WaitForExit();
            Assert.Equal(1, mutual.Process.ExitCode);
            Assert.Contains("--require-device-certificates needs the fleet's generated CA", mutual.Log);
        }
        Assert.Empty(Directory.GetFiles(_root));
    }
}
