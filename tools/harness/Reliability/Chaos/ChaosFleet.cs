using System.Security.Cryptography;
using System.Text.Json;
using EdgeSkyrmion.Harness.Demo;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Durability;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Transport;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Harness.Reliability.Chaos;

/// <summary>
/// A real fleet on loopback for fault injection: the `serve` process on a SQLite database, provisioned edge state
/// directories and `edge run` processes, driven through the operator API. It also judges a device after the fault:
/// torn (its state is not exactly one published version) or holding a given version, and how often it applied.
/// </summary>
public sealed class ChaosFleet : IDisposable
{
    public const string ModelId = "chaos-mnist";
    private readonly int[] _shape;
    private readonly Dictionary<ulong, ModelImage> _versions = [];
    private ChildProcess? _server;

    private ChaosFleet(string root, int[] shape, bool tls)
    {
        Root = root;
        _shape = shape;
        Database = Path.Combine(root, "fleet.db");
        Grpc = CloudServerProcess.LoopbackUrl(tls);
        Http1 = CloudServerProcess.LoopbackUrl(tls);
    }

    public string Root { get; }
    public string Database { get; }
    public Uri Grpc { get; }
    public Uri Http1 { get; }
    public OperatorConnection Operator { get; private set; } = null!;
    public ulong LatestVersion => _versions.Count == 0 ? 0 : _versions.Keys.Max();
    public string ServerLog => _server?.Stderr ?? "";

    /// <summary>
    /// Starts the server on a new database in <paramref name="root"/>; versions have the given shape (default
    /// 784-64-10). TLS unless <paramref name="tls"/> is false (plaintext, to measure what TLS costs).
    /// </summary>
    public static async Task<ChaosFleet> StartAsync(string root, CancellationToken ct, int[]? shape = null, bool tls = true)
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        Directory.CreateDirectory(root);
        var fleet = new ChaosFleet(root, shape ?? [784, 64, 10], tls);
        await fleet.StartServerAsync(ct).ConfigureAwait(false);
        fleet.Operator = CloudServerProcess.Operator(fleet.Grpc, fleet.Database);
        return fleet;
    }

    public async Task StartServerAsync(CancellationToken ct)
    {
        _server?.Dispose();
        _server = null;
        _server = await CloudServerProcess.StartAsync(Grpc, Http1, Database, ct).ConfigureAwait(false);
    }

    /// <summary>kill -9 of the cloud server: no shutdown hooks, open streams and SQLite connections just vanish.</summary>
    public void KillServer() => _server?.KillHard();

    public int ServerProcessId => _server?.Id ?? throw new InvalidOperationException("the server is not running.");

    public string StateDirectory(string deviceId) => Path.Combine(Root, "edge-" + deviceId);

    /// <summary>Registers the device and provisions its state directory with the token and the pinned cloud key.</summary>
    public async Task ProvisionAsync(string deviceId, int chipSeed, CancellationToken ct)
    {
        RegisterDeviceResponse registered = await Operator.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = deviceId }, cancellationToken: ct);
        SigningKeyInfo key = await Operator.Client.GetSigningKeyAsync(new GetSigningKeyRequest(), cancellationToken: ct);
        string state = StateDirectory(deviceId);
        EdgeDevice.Provision(state, deviceId, Presets.Get(Presets.Default), chipSeed);
        new DeviceCredentials(key.PublicKeyDer.ToByteArray(), registered.Token) { CaPem = CaPem }.Save(state);
    }

    /// <summary>The server's CA certificate devices pin (null for a plaintext server).</summary>
    public byte[]? CaPem => Grpc.Scheme == Uri.UriSchemeHttps ? File.ReadAllBytes(CloudServerProcess.CaBeside(Database)) : null;

    public ChildProcess StartEdge(string deviceId, Uri? cloud = null) =>
        ChildProcess.Start("edge.dll", echo: false, "run", "--cloud", (cloud ?? Grpc).ToString(), "--device-id", deviceId, "--state", StateDirectory(deviceId));

    /// <summary>Publishes the next version: a random 784-64-10 image first, then each a mutation of the previous (sparse deltas).</summary>
    public async Task<ulong> PublishNextAsync(double changedFraction, int seed, CancellationToken ct)
    {
        ulong version = LatestVersion + 1;
        ModelImage image = version == 1 ? RandomImages.Random(_shape, 1, seed, ModelId) : RandomImages.Mutated(_versions[version - 1], version, changedFraction, seed);
        await Operator.Client.PublishModelAsync(new PublishModelRequest { Image = image.ToByteString() }, cancellationToken: ct);
        _versions[version] = image;
        return version;
    }

    /// <summary>
    /// Warm-up before the trials (not a trial itself): rolls out the full image, then one delta whose duration sizes
    /// the window in which faults are injected; returns that window in milliseconds.
    /// </summary>
    public async Task<int> WarmUpAsync(string deviceId, int seed, CancellationToken ct)
    {
        await RollOutAsync(await PublishNextAsync(0.3, seed, ct).ConfigureAwait(false), [deviceId], ct).ConfigureAwait(false);
        var warm = System.Diagnostics.Stopwatch.StartNew();
        await RollOutAsync(await PublishNextAsync(0.3, seed + 1, ct).ConfigureAwait(false), [deviceId], ct).ConfigureAwait(false);
        return Math.Max(20, (int)warm.ElapsedMilliseconds);
    }

    public async Task WaitConnectedAsync(int devices, TimeSpan timeout, CancellationToken ct)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while ((await Operator.Client.GetHealthAsync(new GetHealthRequest(), cancellationToken: ct)).ConnectedDevices < devices)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"fewer than {devices} devices connected within {timeout.TotalSeconds} s.");
            await Task.Delay(25, ct).ConfigureAwait(false);
        }
    }

    /// <summary>How many of the device's updates to <paramref name="version"/> the fleet database records as applied.</summary>
    public async Task<int> AppliedInDatabaseAsync(string deviceId, ulong version, CancellationToken ct)
    {
        DeviceDetail device = await Operator.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = deviceId }, cancellationToken: ct);
        return device.Updates.Count(u => u.NewVersion == version && u.Outcome == UpdateOutcome.Applied);
    }

    /// <summary>Starts a rollout of <paramref name="version"/> to <paramref name="devices"/> (null: every device); returns its id.</summary>
    public async Task<string> StartRolloutAsync(ulong version, string[]? devices, CancellationToken ct)
    {
        var request = new StartRolloutRequest { ModelId = ModelId, Version = version };
        if (devices is not null) request.DeviceIds.Add(devices);
        return (await Operator.Client.StartRolloutAsync(request, cancellationToken: ct)).RolloutId;
    }

    /// <summary>Rolls a version out and waits until every target device applied it and left no journal behind.</summary>
    public async Task RollOutAsync(ulong version, string[] devices, CancellationToken ct)
    {
        string id = await StartRolloutAsync(version, devices, ct).ConfigureAwait(false);
        RolloutStatus status = await Operator.WaitForRolloutAsync(id, TimeSpan.FromSeconds(120), ct).ConfigureAwait(false);
        if (status.Applied != devices.Length) throw new InvalidOperationException($"rollout of v{version} did not apply: {status}\n{ServerLog}");
        foreach (string d in devices) await WaitIdleAsync(d, version, ct).ConfigureAwait(false);
    }

    /// <summary>The ack follows the commit, but the journal is deleted just after it: wait for a settled state file.</summary>
    public async Task WaitIdleAsync(string deviceId, ulong version, CancellationToken ct)
    {
        for (int i = 0; i < 400; i++)
        {
            DeviceState s = Inspect(deviceId);
            if (!s.JournalPresent && s.Version >= version) return;
            await Task.Delay(25, ct).ConfigureAwait(false);
        }
    }

    public sealed record DeviceState(ulong Version, bool Torn, long UpdatesApplied, bool JournalPresent);

    /// <summary>
    /// Reads the committed state file (atomically replaced, so consistent even while `edge run` holds the device):
    /// torn unless it is exactly a published version — the image byte-identical to the cloud's artifact and every
    /// device's target that image's level.
    /// </summary>
    public DeviceState Inspect(string deviceId)
    {
        string dir = StateDirectory(deviceId);
        EdgeSnapshot s = EdgeSnapshot.Load(Path.Combine(dir, EdgeDevice.StateFileName));
        bool journal = File.Exists(Path.Combine(dir, EdgeDevice.JournalFileName));
        if (s.ModelVersion == 0) return new DeviceState(0, s.Image.Length != 0, s.UpdatesApplied, journal);
        bool torn = !_versions.TryGetValue(s.ModelVersion, out ModelImage? image)
            || !SHA256.HashData(s.Image).AsSpan().SequenceEqual(EdgeSkyrmion.Edge.Updates.DeltaCodec.Digest(image))
            || !s.Targets.AsSpan().SequenceEqual(ImageTargets.From(image, s.Table).Targets);
        return new DeviceState(s.ModelVersion, torn, s.UpdatesApplied, journal);
    }

    public void Dispose()
    {
        Operator?.Dispose();
        _server?.Dispose();
    }
}
