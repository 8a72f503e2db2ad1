using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>
/// Mutual TLS with a real `fleet-server serve --require-device-certificates`: `fleet register --credentials-dir`
/// saves the token and the client certificate the fleet's CA issued (key owner-only); an edge trusting them takes a
/// rollout; a device without a certificate, with another device's, with its own old one after a token rotation, or with
/// one from a foreign CA is refused, on the gRPC stream and on the HTTP/1.1 device API.
/// </summary>
[Collection(RealProcessCollection.Name)]
public sealed class MutualTlsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "eskt-mtls-" + Guid.NewGuid().ToString("N"));

    public MutualTlsTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task OnlyADevicesOwnCurrentCertificateFromTheFleetsCaConnects()
    {
        string db = Path.Combine(_root, "fleet.db");
        (LoopbackProcesses.Running server, Uri grpc, Uri http1) = LoopbackProcesses.StartServer(db, "--require-device-certificates");
        using (server)
        {
            string ca = LoopbackProcesses.CaBeside(db);
            string[] at = ["--server", grpc.ToString(), "--operator-token-file", OperatorToken.PathBeside(db)];
            string saved = Path.Combine(_root, "wrist-m-credentials");
            CliProcess.Outcome registered = CliProcess.Run(["fleet", "register", "--device-id", "wrist-m", "--credentials-dir", saved, .. at]);
            Assert.True(registered.ExitCode == 0, registered.Stderr);
            Assert.Contains($"token and client certificate saved in {saved}", registered.Stdout);
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(saved, "client-key.pem")));
            string tokenM = File.ReadAllText(Path.Combine(saved, "token"));
            using X509Certificate2 certM = X509Certificate2.CreateFromPemFile(Path.Combine(saved, "client-cert.pem"), Path.Combine(saved, "client-key.pem"));
            Assert.Equal("wrist-m", certM.GetNameInfo(X509NameType.SimpleName, false));
            CliProcess.Outcome again = CliProcess.Run(["fleet", "register", "--device-id", "wrist-again", "--credentials-dir", saved, .. at]);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("is not empty", again.Stderr);

            using var ops = OperatorConnection.FromTokenFile(grpc, OperatorToken.PathBeside(db));
            RegisterDeviceResponse n = await ops.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = "wrist-n" });
            using X509Certificate2 certN = X509Certificate2.CreateFromPem(n.ClientCertificatePem, n.ClientKeyPem);

            // The device with its certificate takes a rollout through a real edge.
            string key = Path.Combine(_root, "cloud-key.der"), state = Path.Combine(_root, "edge-m");
            Assert.Equal(0, CliProcess.Run(["fleet", "signing-key", "--out", key, .. at]).ExitCode);
            Assert.Equal(0, EdgeProcess.Run("provision", "--state", state, "--device-id", "wrist-m").ExitCode);
            CliProcess.Outcome trusted = EdgeProcess.Run("trust", "--state", state, "--cloud-key", key, "--token", tokenM, "--ca", ca,
                "--client-cert", Path.Combine(saved, "client-cert.pem"), "--client-key", Path.Combine(saved, "client-key.pem"));
            Assert.True(trusted.ExitCode == 0, trusted.Stderr);
            ModelImage v1 = TestImages.Random([100, 30, 10], 1, seed: 8);
            await ops.Client.PublishModelAsync(new PublishModelRequest { Image = v1.ToByteString() });
            using (LoopbackProcesses.Running edge = LoopbackProcesses.Start("edge.dll", "run", "--cloud", grpc.ToString(), "--device-id", "wrist-m", "--state", state))
            {
                RolloutStatus started = await ops.Client.StartRolloutAsync(new StartRolloutRequest { ModelId = v1.ModelId, Version = 1, DeviceIds = { "wrist-m" } });
                RolloutStatus done = await ops.WaitForRolloutAsync(started.RolloutId, TimeSpan.FromSeconds(60), default);
                Assert.True(done.Applied == 1, $"{done}\n{edge.Log}\n{server.Log}");
            }

            Assert.Null(await RefusalAsync(grpc, ca, "wrist-n", n.Token, certN));
            Assert.Contains("requires a device certificate", await RefusalAsync(grpc, ca, "wrist-n", n.Token, null));
            Assert.Contains("issued to wrist-m, not wrist-n", await RefusalAsync(grpc, ca, "wrist-n", n.Token, certM));
            Assert.Equal(HttpStatusCode.OK, await HelloOverHttp1Async(http1, ca, "wrist-n", n.Token, certN));
            Assert.Equal(HttpStatusCode.Unauthorized, await HelloOverHttp1Async(http1, ca, "wrist-n", n.Token, null));
            Assert.Equal(HttpStatusCode.Unauthorized, await HelloOverHttp1Async(http1, ca, "wrist-n", n.Token, certM));

            // A rotation issues a new certificate with the new token; the old certificate no longer opens the door.
            RegisterDeviceResponse rotated = await ops.Client.RotateDeviceTokenAsync(new RotateDeviceTokenRequest { DeviceId = "wrist-n" });
            using X509Certificate2 newN = X509Certificate2.CreateFromPem(rotated.ClientCertificatePem, rotated.ClientKeyPem);
            Assert.Contains("not wrist-n's current one", await RefusalAsync(grpc, ca, "wrist-n", rotated.Token, certN));
            Assert.Null(await RefusalAsync(grpc, ca, "wrist-n", rotated.Token, newN));

            // A certificate naming the device but issued by another CA fails the handshake itself.
            using X509Certificate2 foreign = ForeignCertificate("wrist-n");
            RpcException handshake = await Assert.ThrowsAsync<RpcException>(() => RefusalAsync(grpc, ca, "wrist-n", rotated.Token, foreign));
            Assert.Equal(StatusCode.Unavailable, handshake.StatusCode);
            Assert.Contains("rejected connection from wrist-n: the device certificate is issued to wrist-m", server.Log);
        }
    }

    /// <summary>Opens the device stream with <paramref name="certificate"/>: null when welcomed, else the refusal's reason.</summary>
    private static async Task<string?> RefusalAsync(Uri grpc, string ca, string deviceId, string token, X509Certificate2? certificate)
    {
        SocketsHttpHandler handler = PinnedCa.Handler(grpc, PinnedCa.Load(ca));
        if (certificate is not null) handler.SslOptions.ClientCertificates = [certificate];
        using var channel = GrpcChannel.ForAddress(grpc, new GrpcChannelOptions { HttpHandler = handler });
        using var call = new Protos.V1.Fleet.FleetClient(channel).Connect();
        var hello = new Hello { SchemaVersion = WireSchema.Current, DeviceId = deviceId, Token = token };
        try
        {
            await call.RequestStream.WriteAsync(new DeviceMessage { Hello = hello });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(CloudMessage.KindOneofCase.Welcome, call.ResponseStream.Current.KindCase);
            return null;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
        {
            return e.Status.Detail;
        }
    }

    private static async Task<HttpStatusCode> HelloOverHttp1Async(Uri http1, string ca, string deviceId, string token, X509Certificate2? certificate)
    {
        SocketsHttpHandler handler = PinnedCa.Handler(http1, PinnedCa.Load(ca));
        if (certificate is not null) handler.SslOptions.ClientCertificates = [certificate];
        using var http = new HttpClient(handler) { BaseAddress = http1 };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/hello")
        {
            Content = new ByteArrayContent(new Hello { SchemaVersion = WireSchema.Current, DeviceId = deviceId, Token = token }.ToByteArray()),
        };
        request.Headers.Add("X-Device-Id", deviceId);
        request.Headers.Authorization = new("Bearer", token);
        using HttpResponseMessage response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static X509Certificate2 ForeignCertificate(string deviceId)
    {
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256), key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=somebody else's CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using X509Certificate2 foreignCa = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var request = new CertificateRequest("CN=" + deviceId, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using X509Certificate2 issued = request.Create(foreignCa, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
        return issued.CopyWithPrivateKey(key);
    }
}
