using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Harness.Cluster;
using EdgeSkyrmion.Harness.Reliability.Load;
using EdgeSkyrmion.Harness.Reliability.Wearables;

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
        var nodes = new Option<int>("--nodes") { Description = "`serve` nodes: more than one forms a cluster on a throwaway PostgreSQL, and the same load then also runs on one node on SQLite for the ratio.", DefaultValueFactory = _ => 1 };
        var noSingle = new Option<bool>("--no-single-node") { Description = "With --nodes above 1, skip the single-node SQLite run." };
        var connectRate = new Option<double>("--connect-rate")
        {
            Description = "Devices starting their first connection per second, over all generators; 0 starts them all at once (a storm in which the " +
                "generators, on the servers' cores, starve their own TLS handshakes).", DefaultValueFactory = _ => 0,
        };
        var plaintext = new Option<bool>("--insecure-plaintext") { Description = "Run the server without TLS, to measure what TLS costs (the default is TLS)." };
        var deltaFraction = new Option<double>("--delta-fraction") { Description = "After the full image, also roll out a delta changing this share of the synapses (0 = none).", DefaultValueFactory = _ => 0 };
        var statements = new Option<bool>("--statements")
        {
            Description = "With --nodes above 1, profile the cluster database's statements over the last rollout (pg_stat_statements, loaded by the throwaway " +
                "server): statements and execution time per update, and the costliest statements (JSON `statements`).",
        };
        var groups = new Option<string?>("--groups") { Description = "Stage the delta rollout in these cumulative percents, e.g. 1%,10%,100% (success threshold 95 %, error threshold 5 %)." };
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
                Protos.V1.RolloutGroupSpec[]? stages = parse.GetValue(groups) is { } g ? Protos.V1.Percent.Groups(g, "--groups") : null;
                if (stages is not null && fraction == 0) throw new ArgumentException("--groups stages the delta rollout; give --delta-fraction too.");
                double pace = ConnectRate(parse.GetValue(connectRate));
                int nodeCount = parse.GetValue(nodes);
                if (nodeCount < 1) throw new ArgumentException($"--nodes must be at least 1, got {nodeCount}.");
                string dir = parse.GetValue(work) ?? Path.Combine(Path.GetTempPath(), "edgeskyrmion-load-" + Guid.NewGuid().ToString("N"));
                bool tls = !parse.GetValue(plaintext);
                bool profile = parse.GetValue(statements);
                if (profile && nodeCount == 1) throw new ArgumentException("--statements profiles the cluster's PostgreSQL; give --nodes 2 or more.");
                Task<FleetLoadTest.Report> Run(string where, int nodesHere, string? cluster) =>
                    RunOnce(Path.Combine(dir, where), n, seconds, m => ctx.Info(m), sizes, fraction, stages, tls, nodesHere, cluster, pace, profile, ct);
                if (nodeCount == 1)
                {
                    FleetLoadTest.Report single = await Run("single", 1, null).ConfigureAwait(false);
                    ctx.Emit(single, o => Describe(o, single, fraction));
                    return;
                }
                FleetLoadTest.Report clustered;
                using (ThrowawayPostgres postgres = ThrowawayPostgres.Create(statements: profile))
                {
                    ctx.Info($"PostgreSQL on 127.0.0.1:{postgres.Port}; {nodeCount} nodes");
                    clustered = await Run("cluster", nodeCount, postgres.CreateDatabase("fleet")).ConfigureAwait(false);
                }
                FleetLoadTest.Report? baseline = null;
                if (!parse.GetValue(noSingle))
                {
                    // One process holds one socket per device stream: past its open-file limit the single node cannot take them all.
                    int fits = OpenFileLimit() - 1000;
                    if (fits < n) ctx.Info($"one node can hold at most {fits} device streams here (open-file limit {OpenFileLimit()}); the single-node run takes {fits} devices");
                    baseline = await RunOnce(Path.Combine(dir, "single"), Math.Min(n, fits), seconds, m => ctx.Info(m), sizes, fraction, stages, tls, 1, null, pace, false, ct).ConfigureAwait(false);
                }
                var report = new ClusterLoadReport(clustered, baseline, baseline is null ? null : clustered.UpdatesPerSecond / baseline.UpdatesPerSecond,
                    baseline?.Delta is { } bd && clustered.Delta is { } cd ? (cd.Applied / cd.RolloutSeconds) / (bd.Applied / bd.RolloutSeconds) : null);
                ctx.Emit(report, o =>
                {
                    o.Write($"cluster of {clustered.Nodes} nodes on PostgreSQL: ");
                    Describe(o, clustered, fraction);
                    if (baseline is null) return;
                    o.Write("one node on SQLite: ");
                    Describe(o, baseline, fraction);
                    o.WriteLine($"cluster / single node: {report.UpdatesPerSecondRatio:F2}× updates/s" + (report.DeltaUpdatesPerSecondRatio is { } dr ? $", {dr:F2}× for the delta" : ""));
                });
            });
        foreach (Option o in new Option[] { devices, hold, work, shape, deltaFraction, groups, nodes, noSingle, connectRate, plaintext, statements }) command.Options.Add(o);
        return command;
    }

    /// <summary>A cluster's load figures beside the same load on one SQLite node, and the ratio of their rates.</summary>
    public sealed record ClusterLoadReport(FleetLoadTest.Report Cluster, FleetLoadTest.Report? SingleNode, double? UpdatesPerSecondRatio, double? DeltaUpdatesPerSecondRatio);

    /// <summary>This process's open-file limit (soft), which its children inherit.</summary>
    private static int OpenFileLimit()
    {
        string? line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        string[] fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return fields.Length > 3 && int.TryParse(fields[3], System.Globalization.CultureInfo.InvariantCulture, out int limit) ? limit : int.MaxValue;
    }

    /// <summary>The --connect-rate of loadtest and of its loadgen processes, checked the same way for both.</summary>
    private static double ConnectRate(double devicesPerSecond) =>
        devicesPerSecond >= 0 && double.IsFinite(devicesPerSecond) ? devicesPerSecond
            : throw new ArgumentException($"--connect-rate must be a finite number of devices a second, at least 0; got {devicesPerSecond}.");

    private static async Task<FleetLoadTest.Report> RunOnce(string dir, int devices, double holdSeconds, Action<string> info, int[] shape, double fraction,
        Protos.V1.RolloutGroupSpec[]? stages, bool tls, int nodes, string? cluster, double connectRate, bool statements, CancellationToken ct)
    {
        // Device state on tmpfs where there is one: the simulated wearables' fsyncs would otherwise dominate.
        string states = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : dir, "edgeskyrmion-load-states-" + Guid.NewGuid().ToString("N"));
        try
        {
            return await FleetLoadTest.RunAsync(dir, devices, holdSeconds, states, info, ct, shape, fraction, stages, tls, nodes, cluster, connectRate, statements).ConfigureAwait(false);
        }
        finally
        {
            if (Directory.Exists(states)) Directory.Delete(states, recursive: true);
        }
    }

    private static string Commits(FleetLoadTest.CommitReport c) => $"{c.CommitsPerUpdate:F2} write transactions per update, {c.BatchesPerCommit:F2} device batches each";

    private static void Describe(TextWriter o, FleetLoadTest.Report r, double fraction)
    {
        o.WriteLine(
            $"{r.Devices} devices connected in {r.ConnectSeconds:F1} s ({(r.ConnectRatePerSecond > 0 ? $"paced at {r.ConnectRatePerSecond:F0}/s" : "all at once")}): {r.Applied} applied in {r.RolloutSeconds:F1} s ({r.UpdatesPerSecond:F0} updates/s), push p50 {r.P50PushMs:F0} ms, p99 {r.P99PushMs:F0} ms, " +
            $"{r.Errors} errors (lost connections {string.Join(", ", r.ConnectionErrorsByPhase.Select(p => $"{p.Value} {p.Key}"))}); RSS peak {string.Join(" + ", r.NodePeakRssMb.Select(m => m.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))} MB, " +
            $"{r.ServerRssIdleMb:F0} MB idle → {r.ServerRssHoldStartMb:F0}→{r.ServerRssHoldEndMb:F0} MB over the {r.HoldSeconds:F0} s hold ({r.MemoryPerDeviceKb:F1} KiB per connected device)" +
            (r.RowsWrittenPerUpdate is { } rows ? $"; {rows:F1} database rows written per update" : "") + $"; CPU per update {Cpu(r.CpuMsPerUpdate)}; {Commits(r.Commits)}");
        if (r.Delta is { } d)
            o.WriteLine($"  delta ({fraction:P1} of synapses, {d.MeanBytes:F0} B vs full {d.FullImageBytes:F0} B, {d.Groups} group(s)): {d.Applied} applied in {d.RolloutSeconds:F2} s " +
                $"({d.Applied / d.RolloutSeconds:F0} updates/s), push p50 {d.P50PushMs:F0} ms, p99 {d.P99PushMs:F0} ms; CPU per update {Cpu(d.CpuMsPerUpdate)}; {Commits(d.Commits)}");
        if (r.Statements is { } s)
        {
            o.WriteLine($"  database over the last rollout: {s.CallsPerUpdate:F1} statements and {s.ExecutionMsPerUpdate:F2} ms of execution per update; the costliest:");
            foreach (FleetLoadTest.StatementCost t in s.Top)
                o.WriteLine($"    {t.TotalMs,9:F0} ms {t.CallsPerUpdate,5:F2}/update {t.MeanMs,7:F3} ms each  {(t.Query.Length > 110 ? t.Query[..110] + "…" : t.Query)}");
        }
    }

    private static string Cpu(IReadOnlyDictionary<string, double> ms) =>
        string.Join(", ", ms.Select(p => $"{p.Key} {p.Value.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)} ms"));

    /// <summary>The load test's device side, started by `loadtest` as its own process.</summary>
    public static Command BuildLoadgen()
    {
        var cloud = new Option<string>("--cloud") { Description = "The server's gRPC URL, or the cluster nodes' URLs ';'-separated.", Required = true };
        var roster = new Option<string>("--roster") { Description = "File of \"DEVICE_ID TOKEN\" lines.", Required = true };
        var key = new Option<string>("--cloud-key") { Description = "The cloud's public signing key (DER).", Required = true };
        var ca = new Option<string?>("--ca") { Description = "The server's TLS CA certificate (PEM) the devices pin (https servers)." };
        var stateRoot = new Option<string>("--state-root") { Description = "Directory for the simulated devices' state.", Required = true };
        var status = new Option<string?>("--status") { Description = "File the counts so far are written to every second (JSON)." };
        var rate = new Option<double>("--connect-rate") { Description = "Devices starting their first connection per second (0: all at once)." };
        Command command = CliCommand.Create("loadgen", "Internal: N simulated wearables for loadtest. Example: loadgen --cloud https://127.0.0.1:5080 --roster r.txt --cloud-key k.der --state-root /dev/shm/x",
            async (parse, ctx, ct) =>
            {
                Uri[] urls = [.. parse.GetValue(cloud)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u =>
                    Uri.TryCreate(u, UriKind.Absolute, out Uri? url) ? url : throw new ArgumentException($"--cloud {u} is not an absolute URL."))];
                byte[]? caPem = parse.GetValue(ca) is { } caPath ? await File.ReadAllBytesAsync(caPath, ct).ConfigureAwait(false) : null;
                LoadGenerator.Entry[] entries = LoadGenerator.ReadRoster(parse.GetValue(roster)!);
                double starts = ConnectRate(parse.GetValue(rate));
                var generator = new LoadGenerator();
                Task<LoadGenerator.Summary> running = generator.RunAsync(urls, entries, await File.ReadAllBytesAsync(parse.GetValue(key)!, ct).ConfigureAwait(false),
                    caPem, parse.GetValue(stateRoot)!, m => Console.Error.WriteLine(m), ct, starts);
                // Thousands of streams take longer to close than a terminated command is given to print: the counts
                // go to the status file every second instead, replaced whole so a reader never sees half of it.
                if (parse.GetValue(status) is { } statusPath)
                    while (!running.IsCompleted)
                    {
                        string temp = statusPath + ".tmp";
                        await File.WriteAllTextAsync(temp, System.Text.Json.JsonSerializer.Serialize(generator.Snapshot(entries.Length), LoadGenerator.StatusJson), CancellationToken.None).ConfigureAwait(false);
                        File.Move(temp, statusPath, overwrite: true);
                        await Task.WhenAny(running, Task.Delay(1000, CancellationToken.None)).ConfigureAwait(false);
                    }
                LoadGenerator.Summary s = await running.ConfigureAwait(false);
                ctx.Emit(s, o => o.WriteLine($"{s.Devices} devices: {s.Applied} applied, {s.Rejected} rejected, {s.ConnectionErrors} connection errors"));
            });
        command.Hidden = true;
        foreach (Option o in new Option[] { cloud, roster, key, ca, stateRoot, status, rate }) command.Options.Add(o);
        return command;
    }
}
