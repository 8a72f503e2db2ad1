using System.Collections.Concurrent;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Transport;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Harness.Reliability.Wearables;

/// <summary>
/// Many simulated wearables in one process: each a real provisioned <see cref="EdgeDevice"/> with its own
/// <see cref="FleetClient"/> stream to the cloud, so the servers see N independent gRPC connections. Given the
/// nodes of a cluster, device i tries node i mod N first and the others after it, so the devices spread over the
/// nodes and a device whose node dies moves to the next. Counts applied and refused updates and every lost
/// connection until cancelled, and remembers which node welcomed each device last. Devices start all at once, or paced
/// at a spawn rate (as Locust's or k6's ramp-up): on this machine the simulated devices share two cores with the
/// servers, so thousands of first TLS handshakes at once starve the generator itself, where each real wearable would
/// handshake on its own CPU.
/// </summary>
public sealed class LoadGenerator
{
    public sealed record Summary(int Devices, long Applied, long Rejected, long ConnectionErrors, IReadOnlyList<string> FirstErrors);

    /// <summary>A device of the roster: its id and the token `fleet register` gave it.</summary>
    public sealed record Entry(string DeviceId, string Token);

    /// <summary>The node that welcomed a device last, and how many welcomes it has had.</summary>
    public sealed record Welcome(Uri Node, int Count);

    private readonly List<string> _errors = [];
    private readonly ConcurrentDictionary<string, Welcome> _welcomes = new(StringComparer.Ordinal);
    private long _applied, _rejected, _connectionErrors;

    /// <summary>How loadgen's status file (its counts so far, every second) is written and read.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions StatusJson = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };

    /// <summary>A device's state directory under the generator's state root.</summary>
    public static string StateDirectory(string stateRoot, string deviceId) => Path.Combine(stateRoot, "edge-" + deviceId);

    /// <summary>Roster lines are "DEVICE_ID TOKEN".</summary>
    public static Entry[] ReadRoster(string rosterPath)
    {
        string[][] lines = [.. File.ReadAllLines(rosterPath).Where(l => l.Length > 0).Select(l => l.Split(' '))];
        if (lines.Any(r => r.Length != 2)) throw new InvalidDataException($"{rosterPath}: every line must be \"DEVICE_ID TOKEN\".");
        return [.. lines.Select(r => new Entry(r[0], r[1]))];
    }

    /// <summary>The node that welcomed <paramref name="deviceId"/> last (null before its first welcome).</summary>
    public Welcome? LastWelcome(string deviceId) => _welcomes.TryGetValue(deviceId, out Welcome? w) ? w : null;

    /// <summary>
    /// Runs the devices until <paramref name="ct"/> is cancelled; state directories are created under
    /// <paramref name="stateRoot"/> on first use. <paramref name="startsPerSecond"/> paces the devices' first connects
    /// (0: all at once); reconnects follow each device's own backoff.
    /// </summary>
    public async Task<Summary> RunAsync(IReadOnlyList<Uri> clouds, IReadOnlyList<Entry> roster, byte[] cloudKeyDer, byte[]? caPem, string stateRoot, Action<string> info,
        CancellationToken ct, double startsPerSecond = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startsPerSecond);
        if (clouds.Count == 0) throw new ArgumentException("no cloud URL to connect to.", nameof(clouds));
        StateTable table = Presets.Get(Presets.Default);
        var clients = new List<FleetClient>(roster.Count);
        for (int i = 0; i < roster.Count; i++)
        {
            string id = roster[i].DeviceId;
            string dir = StateDirectory(stateRoot, id);
            EdgeDevice device = File.Exists(Path.Combine(dir, EdgeDevice.StateFileName)) ? EdgeDevice.Open(dir) : EdgeDevice.Provision(dir, id, table, i);
            var credentials = new DeviceCredentials(cloudKeyDer, roster[i].Token) { CaPem = caPem };
            credentials.Save(dir);
            Uri[] order = [.. Enumerable.Range(0, clouds.Count).Select(k => clouds[(i + k) % clouds.Count])];
            var client = new FleetClient(device, credentials, order, Log);
            client.Acked += OnAck;
            client.Welcomed += node => _welcomes.AddOrUpdate(id, _ => new Welcome(node, 1), (_, w) => new Welcome(node, w.Count + 1));
            clients.Add(client);
        }
        info($"loadgen: {clients.Count} devices provisioned, connecting to {clouds.Count} node(s)" + (startsPerSecond > 0 ? $", {startsPerSecond:F0} a second" : ""));
        var running = new List<Task>(clients.Count);
        try
        {
            var pace = System.Diagnostics.Stopwatch.StartNew();
            foreach (FleetClient client in clients)
            {
                TimeSpan wait = startsPerSecond > 0 ? TimeSpan.FromSeconds(running.Count / startsPerSecond) - pace.Elapsed : TimeSpan.Zero;
                if (wait > TimeSpan.FromMilliseconds(5)) await Task.Delay(wait, ct).ConfigureAwait(false);
                running.Add(Task.Run(() => client.RunAsync(ct), CancellationToken.None));
            }
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped by the orchestrator
        }
        return Snapshot(clients.Count);
    }

    /// <summary>The counts so far (the orchestrator reads them while the devices still run).</summary>
    public Summary Snapshot(int devices)
    {
        lock (_errors) return new Summary(devices, Interlocked.Read(ref _applied), Interlocked.Read(ref _rejected), Interlocked.Read(ref _connectionErrors), [.. _errors]);
    }

    private void OnAck(UpdateAck ack)
    {
        if (ack.Applied) Interlocked.Increment(ref _applied);
        else Interlocked.Increment(ref _rejected);
    }

    private void Log(string message)
    {
        if (message.StartsWith("connection lost", StringComparison.Ordinal)) Interlocked.Increment(ref _connectionErrors);
        else if (!message.StartsWith("rejected", StringComparison.Ordinal)) return;
        lock (_errors) if (_errors.Count < 10) _errors.Add(message);
    }
}
