using System.Security.Cryptography;
using System.Text.Json;
using EdgeSkyrmion.Harness.Demo;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Durability;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Transport;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Harness.Reliability.Chaos;

/// <summary>
/// A real fleet on loopback for fault injection: `serve` processes — one node on a SQLite database, or several
/// nodes of one cluster on a PostgreSQL database (`--cluster`), sharing the keys, CA and operator token beside one
/// --db path — provisioned edge state directories and `edge run` processes connected through a
/// <see cref="CuttableProxy"/> to the first node (downloads paced at 256 KiB/s, so an update spends a measurable
/// time on the wire), driven through the operator API of a live node. It also judges a device after the fault:
/// torn (its state is not exactly one published version) or holding a given version, and how often it applied.
/// </summary>
public sealed class ChaosFleet : IDisposable
{
    public const string ModelId = "chaos-mnist";
    private const double DownstreamBytesPerSecond = 256 * 1024;
    private readonly int[] _shape;
    private readonly Dictionary<ulong, ModelImage> _versions = [];
    private readonly Node[] _nodes;
    private readonly string? _cluster;

    /// <summary>One `serve` process of the fleet, restartable on the same ports; its operator connection outlives restarts.</summary>
    private sealed class Node(Uri grpc, Uri http1, int siloPort)
    {
        public Uri Grpc { get; } = grpc;
        public Uri Http1 { get; } = http1;

        /// <summary>Its silo's port in a cluster, chosen with every other port of the fleet so no node takes another's.</summary>
        public int SiloPort { get; } = siloPort;
        public ChildProcess? Server { get; set; }
        public OperatorConnection? Operator { get; set; }
        public string Log { get; set; } = "";
        public bool Running => Server is { HasExited: false };
    }

    private ChaosFleet(string root, int[] shape, bool tls, int nodes, string? cluster)
    {
        Root = root;
        _shape = shape;
        _cluster = cluster;
        Database = Path.Combine(root, "fleet.db");
        int[] ports = ProgramPaths.FreeLoopbackPorts(3 * nodes);
        _nodes = [.. Enumerable.Range(0, nodes).Select(i => new Node(CloudServerProcess.LoopbackUrl(ports[3 * i], tls), CloudServerProcess.LoopbackUrl(ports[3 * i + 1], tls), ports[3 * i + 2]))];
    }

    public string Root { get; }

    /// <summary>The SQLite file of a single node; with a cluster, the path the shared keys, CA and operator token sit beside.</summary>
    public string Database { get; }
    public Uri Grpc => _nodes[0].Grpc;
    public Uri Http1 => _nodes[0].Http1;

    /// <summary>Every node's gRPC URL, in node order (what a device of the cluster is given).</summary>
    public IReadOnlyList<Uri> NodeUrls => [.. _nodes.Select(n => n.Grpc)];

    /// <summary>The operator API of the first live node (a cluster's nodes serve the same fleet).</summary>
    public OperatorConnection Operator => OperatorOf(_nodes.FirstOrDefault(n => n.Running) ?? _nodes[0]);

    /// <summary>The link between the devices and the server: cut, held or counted by the fault injection.</summary>
    public CuttableProxy Proxy { get; private set; } = null!;
    public ulong LatestVersion => _versions.Count == 0 ? 0 : _versions.Keys.Max();

    /// <summary>Every node's log (a killed node's log up to its death, then its restart's).</summary>
    public string ServerLog => string.Join("\n", _nodes.Select((n, i) => _nodes.Length == 1 ? n.Log + n.Server?.Stderr : $"node {i}: {n.Log}{n.Server?.Stderr}"));

    /// <summary>
    /// Starts the server on a new database in <paramref name="root"/>; versions have the given shape (default
    /// 784-64-10). TLS unless <paramref name="tls"/> is false (plaintext, to measure what TLS costs). With
    /// <paramref name="cluster"/> (a PostgreSQL connection string), <paramref name="nodes"/> nodes of one cluster,
    /// started one after another (the first writes the shared keys, CA and token).
    /// </summary>
    public static async Task<ChaosFleet> StartAsync(string root, CancellationToken ct, int[]? shape = null, bool tls = true, int nodes = 1, string? cluster = null)
    {
        if (nodes < 1 || (nodes > 1 && cluster is null)) throw new ArgumentException($"{nodes} nodes: a fleet has at least one node, and more than one only on a cluster database.");
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        Directory.CreateDirectory(root);
        var fleet = new ChaosFleet(root, shape ?? [784, 64, 10], tls, nodes, cluster);
        try
        {
            for (int i = 0; i < nodes; i++) await fleet.StartNodeAsync(i, ct).ConfigureAwait(false);
            fleet.Proxy = new CuttableProxy(fleet.Grpc, DownstreamBytesPerSecond);
            return fleet;
        }
        catch
        {
            fleet.Dispose();
            throw;
        }
    }

    /// <summary>Starts every node that is not running (after <see cref="KillServer"/>).</summary>
    public async Task StartServerAsync(CancellationToken ct)
    {
        for (int i = 0; i < _nodes.Length; i++)
            if (!_nodes[i].Running) await StartNodeAsync(i, ct).ConfigureAwait(false);
    }

    /// <summary>Starts node <paramref name="node"/> (again) on its ports; returns once it serves.</summary>
    public async Task StartNodeAsync(int node, CancellationToken ct)
    {
        Node n = _nodes[node];
        if (n.Server is { } old)
        {
            n.Log += old.Stderr;
            old.Dispose();
        }
        n.Server = null;
        n.Server = await CloudServerProcess.StartAsync(n.Grpc, n.Http1, Database, ct, _cluster is null ? [] : ["--cluster", _cluster, "--silo-port", n.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ConfigureAwait(false);
    }

    /// <summary>kill -9 of the cloud server: no shutdown hooks, open streams and SQLite connections just vanish.</summary>
    public void KillServer() => KillNode(0);

    /// <summary>kill -9 of one node: its device streams, silo and database connections vanish.</summary>
    public void KillNode(int node) => _nodes[node].Server?.KillHard();

    public int NodeCount => _nodes.Length;

    public int ServerProcessId => NodeProcessId(0);

    public int NodeProcessId(int node) => _nodes[node].Server?.Id ?? throw new InvalidOperationException($"node {node} is not running.");

    public string StateDirectory(string deviceId) => Wearables.LoadGenerator.StateDirectory(Root, deviceId);

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

    /// <summary>Starts `edge run` for the device, connected to the server through <see cref="Proxy"/>.</summary>
    public ChildProcess StartEdge(string deviceId) =>
        ChildProcess.Start("edge.dll", echo: false, "run", "--cloud", Proxy.Url.ToString(), "--device-id", deviceId, "--state", StateDirectory(deviceId));

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
    /// Warm-up before the trials (not a trial itself): rolls out the full image, then one delta; returns the bytes
    /// that delta took on the wire per device, which a fault aimed inside a transfer needs.
    /// </summary>
    public async Task<long> WarmUpAsync(string[] devices, IEnumerable<ChildProcess> edges, int seed, CancellationToken ct)
    {
        await RollOutAsync(await PublishNextAsync(0.3, seed, ct).ConfigureAwait(false), devices, edges, ct).ConfigureAwait(false);
        long before = Proxy.DownstreamBytes;
        await RollOutAsync(await PublishNextAsync(0.3, seed + 1, ct).ConfigureAwait(false), devices, edges, ct).ConfigureAwait(false);
        return Math.Max(1, (Proxy.DownstreamBytes - before) / devices.Length);
    }

    /// <summary>Waits until the live nodes together hold at least <paramref name="devices"/> device streams.</summary>
    public async Task WaitConnectedAsync(int devices, TimeSpan timeout, CancellationToken ct)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (await ConnectedAsync(ct).ConfigureAwait(false) < devices)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"fewer than {devices} devices connected within {timeout.TotalSeconds} s.");
            await Task.Delay(25, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The node's operator connection, made on first use and kept across its restarts.</summary>
    private OperatorConnection OperatorOf(Node node) => node.Operator ??= CloudServerProcess.Operator(node.Grpc, Database);

    /// <summary>Each live node's health, as it reports it.</summary>
    private async Task<List<ServerHealth>> HealthAsync(CancellationToken ct)
    {
        var healths = new List<ServerHealth>();
        foreach (Node n in _nodes.Where(n => n.Running))
            healths.Add(await OperatorOf(n).Client.GetHealthAsync(new GetHealthRequest(), cancellationToken: ct));
        return healths;
    }

    /// <summary>Device streams the live nodes hold together (each node counts its own).</summary>
    public async Task<long> ConnectedAsync(CancellationToken ct) => (await HealthAsync(ct).ConfigureAwait(false)).Sum(h => (long)h.ConnectedDevices);

    /// <summary>The live nodes' group commits together: transactions, and the device batches they carried.</summary>
    public async Task<(ulong Commits, ulong Batches)> CommitsAsync(CancellationToken ct)
    {
        List<ServerHealth> healths = await HealthAsync(ct).ConfigureAwait(false);
        return (healths.Aggregate(0UL, (sum, h) => sum + h.Commits), healths.Aggregate(0UL, (sum, h) => sum + h.BatchesCommitted));
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
    public async Task RollOutAsync(ulong version, string[] devices, IEnumerable<ChildProcess> edges, CancellationToken ct)
    {
        string id = await StartRolloutAsync(version, devices, ct).ConfigureAwait(false);
        RolloutStatus status = await WaitForRolloutAsync(id, devices, edges, ct).ConfigureAwait(false);
        if (status.Applied != devices.Length) throw new InvalidOperationException($"rollout of v{version} did not apply: {status}\n{ServerLog}");
        foreach (string d in devices) await WaitIdleAsync(d, version, edges, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until the rollout leaves InProgress. No fixed deadline (a fixed 60 s once called updates lost that a
    /// loaded machine was still applying): it gives up only when neither the rollout, the devices' state
    /// directories nor the edges' logs have changed for <see cref="StallTimeout"/>.
    /// </summary>
    public async Task<RolloutStatus> WaitForRolloutAsync(string rolloutId, string[] devices, IEnumerable<ChildProcess> edges, CancellationToken ct)
    {
        var stall = new StallWatch();
        while (true)
        {
            RolloutStatus status = await Operator.Client.GetRolloutAsync(new GetRolloutRequest { RolloutId = rolloutId }, cancellationToken: ct);
            if (status.State != RolloutState.InProgress || stall.Stalled(status + Fingerprint(devices, edges))) return status;
            await Task.Delay(50, ct).ConfigureAwait(false);
        }
    }

    /// <summary>How long a rollout may show no progress at all before the harness calls it stuck.</summary>
    public static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The ack follows the commit, but the journal is deleted just after it: wait for a settled state file (or a stall).</summary>
    public async Task WaitIdleAsync(string deviceId, ulong version, IEnumerable<ChildProcess> edges, CancellationToken ct)
    {
        var stall = new StallWatch();
        while ((JournalPresent(deviceId) || Inspect(deviceId).Version < version) && !stall.Stalled(Fingerprint([deviceId], edges)))
            await Task.Delay(25, ct).ConfigureAwait(false);
    }

    /// <summary>Stalled once the progress fingerprint it is shown has not changed for <see cref="StallTimeout"/>.</summary>
    private sealed class StallWatch
    {
        private readonly System.Diagnostics.Stopwatch _still = System.Diagnostics.Stopwatch.StartNew();
        private string _last = "";

        public bool Stalled(string fingerprint)
        {
            if (fingerprint == _last) return _still.Elapsed > StallTimeout;
            _last = fingerprint;
            _still.Restart();
            return false;
        }
    }

    /// <summary>Changes whenever a device writes its state, journal or partial transfer, or an edge prints a line.</summary>
    private string Fingerprint(string[] devices, IEnumerable<ChildProcess> edges) =>
        string.Join(',', devices.Select(d => string.Join('/', new[] { EdgeDevice.StateFileName, EdgeDevice.JournalFileName, ChunkAssembler.MetaFileName }
            .Select(f => new FileInfo(Path.Combine(StateDirectory(d), f))).Select(f => f.Exists ? f.LastWriteTimeUtc.Ticks + ":" + f.Length : "-"))))
        + "|" + string.Join(',', edges.Select(e => e.StderrLength));

    /// <summary>
    /// What a device shows at one instant, read in a few stat calls so it brackets a fault tightly: a partial
    /// transfer, the journal, a commit (the state file rewritten since <paramref name="stateMark"/>, a
    /// <see cref="StateStamp"/>), and a chunk in its edge's log since <paramref name="logMark"/>. The files are
    /// read in the order an update passes through them, so a phase passed during the reading is never missed.
    /// </summary>
    public Glimpse Glance(string deviceId, long stateMark, ChildProcess? edge, int logMark)
    {
        string dir = StateDirectory(deviceId);
        bool partial = File.Exists(Path.Combine(dir, ChunkAssembler.MetaFileName));
        bool journal = File.Exists(Path.Combine(dir, EdgeDevice.JournalFileName));
        bool committed = StateStamp(deviceId) != stateMark;
        return new Glimpse(committed, journal, partial, edge?.StderrSince(logMark).Contains("received chunk", StringComparison.Ordinal) ?? false);
    }

    /// <summary>When the device last committed its state file (UTC ticks); a commit rewrites the file.</summary>
    public long StateStamp(string deviceId) => File.GetLastWriteTimeUtc(Path.Combine(StateDirectory(deviceId), EdgeDevice.StateFileName)).Ticks;

    /// <summary>See <see cref="Glance"/>.</summary>
    public sealed record Glimpse(bool Committed, bool Journal, bool Partial, bool ChunkLogged);

    public bool JournalPresent(string deviceId) => File.Exists(Path.Combine(StateDirectory(deviceId), EdgeDevice.JournalFileName));

    /// <summary>Waits until the server has detached every device session, so every message a device got through has been processed.</summary>
    public async Task WaitDisconnectedAsync(CancellationToken ct)
    {
        var still = System.Diagnostics.Stopwatch.StartNew();
        while (await ConnectedAsync(ct).ConfigureAwait(false) > 0 && still.Elapsed < StallTimeout)
            await Task.Delay(10, ct).ConfigureAwait(false);
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
        Proxy?.Dispose();
        foreach (Node n in _nodes)
        {
            n.Operator?.Dispose();
            n.Server?.Dispose();
        }
    }
}
