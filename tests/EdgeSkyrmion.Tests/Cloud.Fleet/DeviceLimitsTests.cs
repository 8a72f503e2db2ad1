using System.Diagnostics;
using System.Net;
using EdgeSkyrmion.Cloud.Fleet.Devices;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;
using Grpc.Core;
using Xunit.Abstractions;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>
/// Abuse limits on a real `fleet-server serve` over TLS: one device flooding the HTTP/1.1 device API gets 429s past
/// its bucket (20 requests/s, burst 40) while two other devices, on the same source address, still take a rollout
/// (stated bound: both applied within 60 s; the time is printed); a device message past 64 KiB is refused (413).
/// </summary>
[Collection(RealProcessCollection.Name)]
public sealed class DeviceLimitsTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "eskt-limits-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void ADevicesStreamSlotsAreCappedAndItIsForgottenWhenItsLastStreamCloses()
    {
        var limits = new DeviceLimits(MaxStreamsPerDevice: 2);
        Assert.True(limits.TryOpenStream("d"));
        Assert.True(limits.TryOpenStream("d"));
        Assert.False(limits.TryOpenStream("d"));
        Assert.True(limits.TryOpenStream("e"));
        Assert.Equal(2, limits.DevicesWithStreams);

        limits.CloseStream("d");
        Assert.True(limits.TryOpenStream("d"));
        limits.CloseStream("d");
        limits.CloseStream("d");
        limits.CloseStream("e");
        Assert.Equal(0, limits.DevicesWithStreams);
        // A close with no stream open (a slot given back twice) takes nothing from the device's next streams.
        limits.CloseStream("d");
        Assert.True(limits.TryOpenStream("d"));
        Assert.True(limits.TryOpenStream("d"));
        Assert.False(limits.TryOpenStream("d"));
    }

    [Fact]
    public async Task AFloodingDeviceIsRefusedWhileTheOthersKeepUpdating()
    {
        Directory.CreateDirectory(_root);
        string db = Path.Combine(_root, "fleet.db");
        (LoopbackProcesses.Running server, Uri grpc, Uri http1) = LoopbackProcesses.StartServer(db);
        using (server)
        {
            using var ops = OperatorConnection.FromTokenFile(grpc, OperatorToken.PathBeside(db));
            string floodToken = (await ops.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = "flooder" })).Token;
            byte[] key = (await ops.Client.GetSigningKeyAsync(new GetSigningKeyRequest())).PublicKeyDer.ToByteArray();
            string keyPath = Path.Combine(_root, "cloud-key.der");
            await File.WriteAllBytesAsync(keyPath, key);
            string[] others = ["calm-1", "calm-2"];
            var tokens = new Dictionary<string, string>();
            foreach (string id in others)
            {
                string token = tokens[id] = (await ops.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = id })).Token;
                Assert.Equal(0, EdgeProcess.Run("provision", "--state", Path.Combine(_root, id), "--device-id", id).ExitCode);
                Assert.Equal(0, EdgeProcess.Run("trust", "--state", Path.Combine(_root, id), "--cloud-key", keyPath, "--token", token, "--ca", LoopbackProcesses.CaBeside(db)).ExitCode);
            }
            ModelImage v1 = TestImages.Random([100, 30, 10], 1, seed: 4);
            await ops.Client.PublishModelAsync(new PublishModelRequest { Image = v1.ToByteString() });

            using HttpClient flood = LoopbackProcesses.Http(http1, db);
            flood.DefaultRequestHeaders.Add("X-Device-Id", "flooder");
            flood.DefaultRequestHeaders.Authorization = new("Bearer", floodToken);
            using var stop = new CancellationTokenSource();
            long ok = 0, limited = 0;
            Task[] flooders = [.. Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    using HttpResponseMessage r = await flood.GetAsync("/v1/update", CancellationToken.None);
                    if (r.StatusCode == HttpStatusCode.TooManyRequests) Interlocked.Increment(ref limited);
                    else Interlocked.Increment(ref ok);
                }
            }))];

            var edges = others.Select(id => LoopbackProcesses.Start("edge.dll", "run", "--cloud", grpc.ToString(), "--device-id", id, "--state", Path.Combine(_root, id))).ToList();
            try
            {
                var clock = Stopwatch.StartNew();
                RolloutStatus started = await ops.Client.StartRolloutAsync(new StartRolloutRequest { ModelId = v1.ModelId, Version = 1, DeviceIds = { others } });
                RolloutStatus done = await ops.WaitForRolloutAsync(started.RolloutId, TimeSpan.FromSeconds(60), default);
                double seconds = clock.Elapsed.TotalSeconds;
                stop.Cancel();
                await Task.WhenAll(flooders);
                output.WriteLine($"rollout to 2 devices under a flood: {seconds:F1} s; flood: {ok} served, {limited} refused with 429");
                Assert.True(done.Applied == 2, $"{done}\n{server.Log}");
                Assert.True(limited > ok, $"flood: {ok} served, {limited} refused");
                Assert.True(ok <= 40 + (seconds + 5) * 20, $"flood: {ok} served in {seconds:F1} s, more than the bucket allows");
            }
            finally
            {
                stop.Cancel();
                foreach (LoopbackProcesses.Running e in edges) e.Dispose();
            }

            using var big = new ByteArrayContent(new byte[100 * 1024]);
            using HttpClient device = LoopbackProcesses.Http(http1, db);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/ack") { Content = big };
            request.Headers.Add("X-Device-Id", "calm-1");
            request.Headers.Authorization = new("Bearer", tokens["calm-1"]);
            // The server answers 413 from the declared length without reading the body; 100-continue lets the client hear it.
            request.Headers.ExpectContinue = true;
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await device.SendAsync(request)).StatusCode);
        }
    }

    [Fact]
    public async Task ADeviceFloodingMessagesOnItsOpenStreamHasThatStreamClosedWithTheReasonAndMayReconnect()
    {
        Directory.CreateDirectory(_root);
        string db = Path.Combine(_root, "fleet.db");
        (LoopbackProcesses.Running server, Uri grpc, _) = LoopbackProcesses.StartServer(db);
        using (server)
        {
            using var ops = OperatorConnection.FromTokenFile(grpc, OperatorToken.PathBeside(db));
            string token = (await ops.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = "chatty" })).Token;
            using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(grpc, new Grpc.Net.Client.GrpcChannelOptions
            {
                HttpHandler = PinnedCa.Handler(grpc, PinnedCa.Load(LoopbackProcesses.CaBeside(db))),
            });
            var client = new Protos.V1.Fleet.FleetClient(channel);
            var hello = new DeviceMessage { Hello = new Hello { SchemaVersion = WireSchema.Current, DeviceId = "chatty", Token = token } };

            using (var call = client.Connect())
            {
                await call.RequestStream.WriteAsync(hello);
                Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
                Assert.Equal(CloudMessage.KindOneofCase.Welcome, call.ResponseStream.Current.KindCase);
                int sent = 0;
                try
                {
                    // Far past the burst of 40: the server must close the stream rather than record them all.
                    for (; sent < 500; sent++)
                        await call.RequestStream.WriteAsync(new DeviceMessage { Telemetry = new Telemetry { DeviceId = "chatty", TemperatureK = 306 } });
                }
                catch (RpcException)
                {
                    // The server closed the call while the flood was still being written; its status is read below.
                }
                var closed = await Assert.ThrowsAsync<RpcException>(async () => { while (await call.ResponseStream.MoveNext(CancellationToken.None)) { } });
                Assert.Equal(Grpc.Core.StatusCode.ResourceExhausted, closed.StatusCode);
                Assert.Contains("messages/s", closed.Status.Detail);
                output.WriteLine($"stream closed after {sent} telemetry messages written: {closed.Status.Detail}");
            }

            // Closing the stream is not a ban: the device's next connection is welcomed.
            using var again = client.Connect();
            await again.RequestStream.WriteAsync(hello);
            Assert.True(await again.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(CloudMessage.KindOneofCase.Welcome, again.ResponseStream.Current.KindCase);
            Assert.Contains("more than 20 messages/s", server.Log);
        }
    }
}
