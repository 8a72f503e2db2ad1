using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Harness.Reliability.Load;

namespace EdgeSkyrmion.Harness.Commands;

/// <summary>`loadtest`: one server, N simulated wearables in a separate `loadgen` process (hidden), one rollout to all.</summary>
public static class LoadtestCommand
{
    public static Command Build()
    {
        var devices = new Option<int>("--devices") { Description = "Simulated wearables, each its own gRPC stream.", DefaultValueFactory = _ => 5000 };
        var hold = new Option<double>("--hold-seconds") { Description = "Seconds to keep every device connected after the rollout while sampling server memory.", DefaultValueFactory = _ => 10 };
        var work = new Option<string?>("--work") { Description = "Working directory for the fleet database (default: a new temp directory)." };
        var shape = new Option<string>("--shape") { Description = "Network of the simulated devices, e.g. 784-100-10.", DefaultValueFactory = _ => "16-8-4" };
        var plaintext = new Option<bool>("--insecure-plaintext") { Description = "Run the server without TLS, to measure what TLS costs (the default is TLS)." };
        var deltaFraction = new Option<double>("--delta-fraction") { Description = "After the full image, also roll out a delta changing this share of the synapses (0 = none).", DefaultValueFactory = _ => 0 };
        Command command = CliCommand.Create("loadtest",
            "Load-test the update path: server + N connected simulated devices + one rollout; updates/s, p99 push latency, server peak RSS, errors. Example: loadtest --devices 5000 --hold-seconds 600 --json",
            async (parse, ctx, ct) =>
            {
                int n = parse.GetValue(devices);
                double seconds = parse.GetValue(hold);
                if (n < 1) throw new ArgumentException($"--devices must be at least 1, got {n}.");
                if (seconds < 0) throw new ArgumentException($"--hold-seconds must not be negative, got {seconds}.");
                int[] sizes = TrainingOptions.ParseSizes(parse.GetValue(shape)!.Replace('-', ','), "--shape");
                if (sizes.Length < 2 || sizes.Any(x => x < 1)) throw new ArgumentException($"--shape {parse.GetValue(shape)}: expected layer sizes such as 784-100-10.");
                double fraction = parse.GetValue(deltaFraction);
                if (fraction is < 0 or > 1) throw new ArgumentException($"--delta-fraction {fraction}: must be in [0, 1].");
                string id = Guid.NewGuid().ToString("N");
                string dir = parse.GetValue(work) ?? Path.Combine(Path.GetTempPath(), "edgeskyrmion-load-" + id);
                // Device state on tmpfs where there is one: the simulated wearables' fsyncs would otherwise dominate.
                string states = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : dir, "edgeskyrmion-load-states-" + id);
                try
                {
                    FleetLoadTest.Report r = await FleetLoadTest.RunAsync(dir, n, seconds, states, m => ctx.Info(m), ct, sizes, fraction, tls: !parse.GetValue(plaintext)).ConfigureAwait(false);
                    ctx.Emit(r, o =>
                    {
                        o.WriteLine(
                            $"{r.Devices} devices: {r.Applied} applied in {r.RolloutSeconds:F1} s ({r.UpdatesPerSecond:F0} updates/s), push p50 {r.P50PushMs:F0} ms, p99 {r.P99PushMs:F0} ms, " +
                            $"{r.Errors} errors; server RSS peak {r.ServerPeakRssMb:F0} MB, {r.ServerRssHoldStartMb:F0}→{r.ServerRssHoldEndMb:F0} MB over the {r.HoldSeconds:F0} s hold");
                        if (r.Delta is { } d)
                            o.WriteLine($"delta ({fraction:P1} of synapses, {d.MeanBytes:F0} B vs full {d.FullImageBytes:F0} B): {d.Applied} applied in {d.RolloutSeconds:F2} s, push p50 {d.P50PushMs:F0} ms, p99 {d.P99PushMs:F0} ms");
                    });
                }
                finally
                {
                    if (Directory.Exists(states)) Directory.Delete(states, recursive: true);
                }
            });
        foreach (Option o in new Option[] { devices, hold, work, shape, deltaFraction, plaintext }) command.Options.Add(o);
        return command;
    }

    /// <summary>The load test's device side, started by `loadtest` as its own process.</summary>
    public static Command BuildLoadgen()
    {
        var cloud = new Option<string>("--cloud") { Description = "The server's gRPC URL.", Required = true };
        var roster = new Option<string>("--roster") { Description = "File of \"DEVICE_ID TOKEN\" lines.", Required = true };
        var key = new Option<string>("--cloud-key") { Description = "The cloud's public signing key (DER).", Required = true };
        var ca = new Option<string?>("--ca") { Description = "The server's TLS CA certificate (PEM) the devices pin (https servers)." };
        var stateRoot = new Option<string>("--state-root") { Description = "Directory for the simulated devices' state.", Required = true };
        Command command = CliCommand.Create("loadgen", "Internal: N simulated wearables for loadtest. Example: loadgen --cloud https://127.0.0.1:5080 --roster r.txt --cloud-key k.der --state-root /dev/shm/x",
            async (parse, ctx, ct) =>
            {
                if (!Uri.TryCreate(parse.GetValue(cloud), UriKind.Absolute, out Uri? url)) throw new ArgumentException($"--cloud {parse.GetValue(cloud)} is not an absolute URL.");
                byte[]? caPem = parse.GetValue(ca) is { } caPath ? await File.ReadAllBytesAsync(caPath, ct).ConfigureAwait(false) : null;
                LoadGenerator.Summary s = await new LoadGenerator().RunAsync(url, parse.GetValue(roster)!, await File.ReadAllBytesAsync(parse.GetValue(key)!, ct).ConfigureAwait(false),
                    caPem, parse.GetValue(stateRoot)!, m => Console.Error.WriteLine(m), ct).ConfigureAwait(false);
                ctx.Emit(s, o => o.WriteLine($"{s.Devices} devices: {s.Applied} applied, {s.Rejected} rejected, {s.ConnectionErrors} connection errors"));
            });
        command.Hidden = true;
        foreach (Option o in new Option[] { cloud, roster, key, ca, stateRoot }) command.Options.Add(o);
        return command;
    }
}
