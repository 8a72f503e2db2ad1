using System.Net;
using EdgeSkyrmion.Cloud.Updates;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>
/// The constrained-device API (/v1/hello, /v1/update, /v1/ack) of the real `fleet-server serve` process, over its
/// HTTP/1.1 Kestrel listener on a loopback socket, called by a client that only speaks HTTP/1.1
/// (<see cref="HttpVersionPolicy.RequestVersionExact"/>, version 1.1): every response is checked to be HTTP/1.1.
/// </summary>
[Collection(RealProcessCollection.Name)]
public sealed class ConstrainedDeviceHttp1Tests : IDisposable
{
    private const string Protobuf = "application/x-protobuf";
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"http1-{Guid.NewGuid():N}");
    private readonly LoopbackProcesses.Running _server;
    private readonly OperatorConnection _operator;
    private readonly HttpClient _http;

    public ConstrainedDeviceHttp1Tests()
    {
        Directory.CreateDirectory(_root);
        string db = Path.Combine(_root, "fleet.db");
        (_server, Uri grpc, Uri http1) = LoopbackProcesses.StartServer(db);
        _operator = OperatorConnection.FromTokenFile(grpc, Path.ChangeExtension(db, ".operator-token"));
        // A constrained device speaks TLS too, pinning the fleet's CA like every other client.
        _http = new HttpClient(PinnedCa.Handler(http1, PinnedCa.Load(LoopbackProcesses.CaBeside(db))))
        {
            BaseAddress = http1, DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    public void Dispose()
    {
        _http.Dispose();
        _operator.Dispose();
        _server.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string deviceId, string token, IMessage? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Device-Id", deviceId);
        request.Headers.Authorization = new("Bearer", token);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body.ToByteArray());
            request.Content.Headers.ContentType = new(Protobuf);
        }
        HttpResponseMessage response = await _http.SendAsync(request);
        Assert.Equal(HttpVersion.Version11, response.Version);
        return response;
    }

    private async Task<(EdgeDevice Device, string Token, byte[] CloudKey)> ProvisionAsync(string deviceId)
    {
        string token = (await _operator.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = deviceId })).Token;
        byte[] key = (await _operator.Client.GetSigningKeyAsync(new GetSigningKeyRequest())).PublicKeyDer.ToByteArray();
        EdgeDevice device = EdgeDevice.Provision(Path.Combine(_root, deviceId), deviceId, Presets.Get(Presets.Default), chipSeed: 2);
        return (device, token, key);
    }

    private static Hello HelloFrom(EdgeDevice device, string token) => new()
    {
        SchemaVersion = WireSchema.Current, DeviceId = device.Committed.DeviceId, Token = token, ModelId = device.Committed.ModelId,
        ModelVersion = device.Committed.ModelVersion, Shape = device.Layout?.Shape ?? "none", Preset = device.Committed.Table.Name,
    };

    [Fact]
    public async Task HelloIsWelcomedWithTheSigningKeyAndRefusedForABadTokenOrAnotherDevicesName()
    {
        (EdgeDevice device, string token, _) = await ProvisionAsync("band-hello");
        (_, string otherToken, _) = await ProvisionAsync("band-other");
        SigningKeyInfo key = await _operator.Client.GetSigningKeyAsync(new GetSigningKeyRequest());

        HttpResponseMessage welcomed = await SendAsync(HttpMethod.Post, "/v1/hello", "band-hello", token, HelloFrom(device, token));
        Assert.Equal(HttpStatusCode.OK, welcomed.StatusCode);
        Assert.Equal(Protobuf, welcomed.Content.Headers.ContentType?.MediaType);
        Welcome welcome = Welcome.Parser.ParseFrom(await welcomed.Content.ReadAsByteArrayAsync());
        Assert.Equal(key.KeyId, welcome.SigningKeyId);
        Assert.Equal((uint)WireSchema.Current, welcome.SchemaVersion);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Post, "/v1/hello", "band-hello", "not-the-token", HelloFrom(device, "not-the-token"))).StatusCode);
        // Authenticated as band-other, saying Hello as band-hello: forbidden, and band-hello's record is untouched.
        long seenBefore = (await _operator.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = "band-hello" })).Device.LastSeenUnixMs;
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "/v1/hello", "band-other", otherToken, HelloFrom(device, otherToken))).StatusCode);
        Assert.Equal(seenBefore, (await _operator.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = "band-hello" })).Device.LastSeenUnixMs);

        HttpResponseMessage none = await SendAsync(HttpMethod.Get, "/v1/update", "band-hello", token);
        Assert.Equal(HttpStatusCode.NoContent, none.StatusCode);
        Assert.Empty(await none.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/v1/update", "band-hello", otherToken)).StatusCode);
    }

    [Fact]
    public async Task AnHttp1OnlyDeviceCompletesARolloutOfAFullImageThenADelta()
    {
        (EdgeDevice device, string token, byte[] cloudKey) = await ProvisionAsync("band-rollout");
        var applier = new UpdateApplier(device, cloudKey);
        ModelImage v1 = TestImages.Random([40, 12, 4], 1, seed: 8, modelId: "band-model");
        ModelImage v2 = TestImages.Mutated(v1, 2, 0.05, seed: 9);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/v1/hello", "band-rollout", token, HelloFrom(device, token))).StatusCode);

        foreach ((ModelImage image, UpdateKind kind) in new[] { (v1, UpdateKind.FullImage), (v2, UpdateKind.Delta) })
        {
            await _operator.Client.PublishModelAsync(new PublishModelRequest { Image = image.ToByteString() });
            string rollout = (await _operator.Client.StartRolloutAsync(new StartRolloutRequest { ModelId = image.ModelId, Version = image.Version, DeviceIds = { "band-rollout" } })).RolloutId;

            HttpResponseMessage response = await SendAsync(HttpMethod.Get, "/v1/update", "band-rollout", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            byte[] sent = await response.Content.ReadAsByteArrayAsync();
            // Polling again before the ack gets the update already sent, not a new one.
            Assert.Equal(sent, await (await SendAsync(HttpMethod.Get, "/v1/update", "band-rollout", token)).Content.ReadAsByteArrayAsync());
            SignedUpdate signed = SignedUpdate.Parser.ParseFrom(sent);
            Update update = Update.Parser.ParseFrom(signed.UpdateBytes);
            Assert.Equal(kind, update.Kind);
            Assert.Equal(image.Version, update.NewVersion);
            UpdateAck ack = applier.Apply(signed);
            Assert.True(ack.Applied, ack.Reason);

            Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Post, "/v1/ack", "band-rollout", token, ack)).StatusCode);
            RolloutStatus status = await _operator.WaitForRolloutAsync(rollout, TimeSpan.FromSeconds(30), default);
            Assert.Equal(RolloutState.Succeeded, status.State);
            Assert.Equal(UpdateOutcome.Applied, Assert.Single(status.Devices).Outcome);
            Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Get, "/v1/update", "band-rollout", token)).StatusCode);
        }
        Assert.Equal(2UL, device.Committed.ModelVersion);
        Assert.Equal(DeltaCodec.Digest(v2), System.Security.Cryptography.SHA256.HashData(device.Committed.Image));
        Assert.Equal(2UL, (await _operator.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = "band-rollout" })).Device.ModelVersion);
    }
    [Fact]
    public async Task AnAckCarriesTheDevicesTelemetryIntoItsRecordAndOneNamingAnotherDeviceIsRefusedWithNothingStored()
    {
        (EdgeDevice device, string token, byte[] cloudKey) = await ProvisionAsync("band-telemetry");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/v1/hello", "band-telemetry", token, HelloFrom(device, token))).StatusCode);
        ModelImage v1 = TestImages.Random([40, 12, 4], 1, seed: 10, modelId: "band-telemetry-model");
        await _operator.Client.PublishModelAsync(new PublishModelRequest { Image = v1.ToByteString() });
        string rollout = (await _operator.Client.StartRolloutAsync(new StartRolloutRequest { ModelId = v1.ModelId, Version = v1.Version, DeviceIds = { "band-telemetry" } })).RolloutId;
        byte[] sent = await (await SendAsync(HttpMethod.Get, "/v1/update", "band-telemetry", token)).Content.ReadAsByteArrayAsync();
        UpdateAck ack = new UpdateApplier(device, cloudKey).Apply(SignedUpdate.Parser.ParseFrom(sent));
        Assert.True(ack.Applied, ack.Reason);

        ack.Telemetry = new Telemetry { DeviceId = "band-someone-else", ModelVersion = 1, FailedDevices = 7, TotalDevices = 100, Lifetime = UpdateApplier.Report(device.Committed.Lifetime) };
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "/v1/ack", "band-telemetry", token, ack)).StatusCode);
        DeviceInfo untouched = (await _operator.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = "band-telemetry" })).Device;
        Assert.Equal(0UL, untouched.ModelVersion);
        Assert.Equal(0, untouched.LifetimeEnergyFj);
        Assert.Equal(UpdateOutcome.Sent, Assert.Single((await _operator.Client.GetRolloutAsync(new GetRolloutRequest { RolloutId = rollout })).Devices).Outcome);

        ack.Telemetry.DeviceId = "band-telemetry";
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Post, "/v1/ack", "band-telemetry", token, ack)).StatusCode);
        // No telemetry message follows: the ack's own write holds what it carried.
        DeviceInfo recorded = (await _operator.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = "band-telemetry" })).Device;
        Assert.Equal(1UL, recorded.ModelVersion);
        Assert.Equal(7u, recorded.FailedDevices);
        Assert.Equal(100u, recorded.TotalDevices);
        Assert.True(device.Committed.Lifetime.TotalEnergyFj > 0);
        Assert.Equal(device.Committed.Lifetime.TotalEnergyFj, recorded.LifetimeEnergyFj, 1e-9 * device.Committed.Lifetime.TotalEnergyFj);

        // That row is the one record: the device's grain stores no copy of it (it did, one more write an update).
        using var file = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_root, "fleet.db")};Mode=ReadOnly;Pooling=false");
        file.Open();
        using Microsoft.Data.Sqlite.SqliteCommand read = file.CreateCommand();
        read.CommandText = "SELECT count(*) FROM grain_state WHERE state_name = 'device'";
        Assert.Equal(0L, (long)read.ExecuteScalar()!);
    }
}
