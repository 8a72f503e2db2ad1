using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Transport;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Harness.Reliability.Load;

/// <summary>
/// Many simulated wearables in one process: each a real provisioned <see cref="EdgeDevice"/> (tiny network) with its
/// own <see cref="FleetClient"/> stream to the cloud, so the server sees N independent gRPC connections. Counts
/// applied and refused updates and every lost connection until cancelled.
/// </summary>
public sealed class LoadGenerator
{
    public sealed record Summary(int Devices, long Applied, long Rejected, long ConnectionErrors, IReadOnlyList<string> FirstErrors);

    private readonly List<string> _errors = [];
    private long _applied, _rejected, _connectionErrors;

    /// <summary>Roster lines are "DEVICE_ID TOKEN"; state directories are created under <paramref name="stateRoot"/> on first use.</summary>
    public async Task<Summary> RunAsync(Uri cloud, string rosterPath, byte[] cloudKeyDer, byte[]? caPem, string stateRoot, Action<string> info, CancellationToken ct)
    {
        string[][] roster = [.. File.ReadAllLines(rosterPath).Where(l => l.Length > 0).Select(l => l.Split(' '))];
        if (roster.Any(r => r.Length != 2)) throw new InvalidDataException($"{rosterPath}: every line must be \"DEVICE_ID TOKEN\".");
        StateTable table = Presets.Get(Presets.Default);
        var clients = new List<FleetClient>(roster.Length);
        for (int i = 0; i < roster.Length; i++)
        {
            string dir = Path.Combine(stateRoot, roster[i][0]);
            EdgeDevice device = File.Exists(Path.Combine(dir, EdgeDevice.StateFileName)) ? EdgeDevice.Open(dir) : EdgeDevice.Provision(dir, roster[i][0], table, i);
            var credentials = new DeviceCredentials(cloudKeyDer, roster[i][1]) { CaPem = caPem };
            credentials.Save(dir);
            var client = new FleetClient(device, credentials, cloud, Log);
            client.Acked += OnAck;
            clients.Add(client);
        }
        info($"loadgen: {clients.Count} devices provisioned, connecting");
        Task[] running = [.. clients.Select(c => Task.Run(() => c.RunAsync(ct), CancellationToken.None))];
        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped by the orchestrator
        }
        lock (_errors) return new Summary(clients.Count, _applied, _rejected, _connectionErrors, [.. _errors]);
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
