using EdgeSkyrmion.Protos.V1;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeSkyrmion.Harness.Cluster;
using EdgeSkyrmion.Harness.Demo;
using EdgeSkyrmion.Harness.Reliability.Chaos;
using EdgeSkyrmion.Harness.Reliability.Wearables;

namespace EdgeSkyrmion.Harness.Reliability.Load;

/// <summary>
/// `serve` on loopback — one node on SQLite, or several nodes of one cluster on PostgreSQL — N simulated wearables
/// connected from a separate `loadgen` process (spread over the nodes), one rollout of a tiny network to all of
/// them. Measures updates applied per second (rollout start to last ack), push latency per device (rollout start to
/// its ack, from the fleet database), each node's resident memory sampled every 200 ms through the whole run and a
/// hold period with every device connected (and before any device connected, for the memory a device costs), the
/// rows PostgreSQL wrote per update (cluster), the CPU time an update cost the nodes, the load generators and PostgreSQL
/// (<see cref="CpuClock"/>), and errors of any kind.
/// </summary>
public static class FleetLoadTest
{
    private static readonly int[] DefaultShape = [16, 8, 4];

    /// <summary>The second rollout: a sparse delta on top of the full image every device now holds, in <paramref name="Groups"/> stages.</summary>
    public sealed record DeltaReport(int Applied, double RolloutSeconds, double P50PushMs, double P99PushMs, double MeanBytes, double FullImageBytes, int Groups,
        IReadOnlyDictionary<string, double> CpuMsPerUpdate, CommitReport Commits);

    /// <summary>
    /// The nodes' group commits over a rollout (Storage/GroupCommit.cs): write transactions per update applied, and the
    /// device batches (acks, telemetry, update claims) each carried.
    /// </summary>
    public sealed record CommitReport(double CommitsPerUpdate, double BatchesPerCommit)
    {
        public static CommitReport Between((ulong Commits, ulong Batches) start, (ulong Commits, ulong Batches) end, int applied)
        {
            double commits = end.Commits - start.Commits;
            return new CommitReport(commits / Math.Max(1, applied), commits == 0 ? 0 : (end.Batches - start.Batches) / commits);
        }
    }

    public sealed record Report(int Devices, int Applied, double UpdatesPerSecond, double P50PushMs, double P99PushMs, double MaxPushMs, long Errors,
        long ConnectionErrors, int RejectedOrMissing, double ServerPeakRssMb, double ServerRssHoldStartMb, double ServerRssHoldEndMb, double HoldSeconds,
        double ConnectSeconds, double RolloutSeconds, IReadOnlyList<string> FirstErrors, DeltaReport? Delta, int Nodes, string Database,
        IReadOnlyList<double> NodePeakRssMb, double ServerRssIdleMb, double MemoryPerDeviceKb, double? RowsWrittenPerUpdate, IReadOnlyDictionary<string, long>? RowsWrittenPerTable,
        IReadOnlyDictionary<string, long> ConnectionErrorsByPhase, double ConnectRatePerSecond, IReadOnlyDictionary<string, double> CpuMsPerUpdate,
        CommitReport Commits, StatementsReport? Statements);

    /// <summary>
    /// The database's statements over the last rollout (pg_stat_statements): statements (round trips, BEGIN and COMMIT
    /// included) and their execution time per update applied, and the costliest, each with its calls per update.
    /// </summary>
    public sealed record StatementsReport(double CallsPerUpdate, double ExecutionMsPerUpdate, double ExecutionMsTotal, IReadOnlyList<StatementCost> Top);

    public sealed record StatementCost(string Query, double CallsPerUpdate, double TotalMs, double MeanMs, long Calls);

    /// <summary>How many of the costliest statements a report lists.</summary>
    private const int TopStatements = 25;

    /// <summary>
    /// Runs the load on a new fleet in <paramref name="root"/>: one node on SQLite, or with <paramref name="cluster"/>
    /// (a PostgreSQL connection string) <paramref name="nodes"/> nodes of one cluster, whose database writes are
    /// counted around the last rollout — with <paramref name="statements"/> also its statements (the server must load
    /// pg_stat_statements: <see cref="ThrowawayPostgres.Create"/>).
    /// </summary>
    public static async Task<Report> RunAsync(string root, int devices, double holdSeconds, string stateRoot, Action<string> info, CancellationToken ct,
        int[]? shape = null, double deltaFraction = 0, IReadOnlyList<RolloutGroupSpec>? deltaGroups = null, bool tls = true, int nodes = 1, string? cluster = null,
        double connectRate = 0, bool statements = false)
    {
        using ChaosFleet fleet = await ChaosFleet.StartAsync(root, ct, shape ?? DefaultShape, tls, nodes, cluster).ConfigureAwait(false);
        RssSampler[] rss = [.. Enumerable.Range(0, nodes).Select(i => new RssSampler(fleet.NodeProcessId(i)))];
        try
        {
            return await RunAsync(fleet, rss, devices, holdSeconds, stateRoot, info, deltaFraction, deltaGroups, tls, cluster, connectRate, statements, ct).ConfigureAwait(false);
        }
        finally
        {
            foreach (RssSampler r in rss) r.Dispose();
            // What the nodes logged (warnings and errors: a handler's exception is a device's lost connection), kept for the post-mortem.
            string serverLog = Path.Combine(root, "server.log");
            await File.WriteAllTextAsync(serverLog, fleet.ServerLog, CancellationToken.None).ConfigureAwait(false);
            info($"the nodes' logs: {serverLog}");
        }
    }

    private static async Task<Report> RunAsync(ChaosFleet fleet, RssSampler[] rss, int devices, double holdSeconds, string stateRoot, Action<string> info,
        double deltaFraction, IReadOnlyList<RolloutGroupSpec>? deltaGroups, bool tls, string? cluster, double connectRate, bool statements, CancellationToken ct)
    {
        string root = fleet.Root;
        double idleMb = rss.Sum(r => r.CurrentMb());
        string[] ids = [.. Enumerable.Range(0, devices).Select(i => $"load-{i:D5}")];
        var tokens = new string[devices];
        await Parallel.ForEachAsync(Enumerable.Range(0, devices), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (i, token) => tokens[i] = (await fleet.Operator.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = ids[i] }, cancellationToken: token)).Token).ConfigureAwait(false);
        string keyPath = Path.Combine(root, "cloud-key.der");
        await File.WriteAllBytesAsync(keyPath, (await fleet.Operator.Client.GetSigningKeyAsync(new GetSigningKeyRequest(), cancellationToken: ct)).PublicKeyDer.ToByteArray(), ct).ConfigureAwait(false);
        // One loadgen process per DevicesPerLoadgen devices: a process's open files are capped (20,000 here), one socket a device.
        int processes = (devices + DevicesPerLoadgen - 1) / DevicesPerLoadgen;
        info($"registered {devices} devices; starting {processes} loadgen process(es)");
        var connect = Stopwatch.StartNew();
        var loadgens = new List<ChildProcess>();
        for (int p = 0; p < processes; p++)
        {
            string roster = Path.Combine(root, $"roster-{p}.txt");
            await File.WriteAllLinesAsync(roster, ids.Select((id, i) => $"{id} {tokens[i]}").Skip(p * DevicesPerLoadgen).Take(DevicesPerLoadgen), ct).ConfigureAwait(false);
            string[] loadgenArgs = ["loadgen", "--cloud", string.Join(';', fleet.NodeUrls), "--roster", roster, "--cloud-key", keyPath, "--state-root", stateRoot,
                "--status", StatusFile(root, p), "--connect-rate", (connectRate / processes).ToString("R", CultureInfo.InvariantCulture), "--json"];
            loadgens.Add(ChildProcess.Start("es-harness.dll", echo: false, tls ? [.. loadgenArgs, "--ca", CloudServerProcess.CaBeside(fleet.Database)] : loadgenArgs));
        }
        try
        {
            return await MeasureAsync(fleet, rss, loadgens, connect, idleMb, devices, holdSeconds, info, deltaFraction, deltaGroups, cluster, connectRate, statements, ct).ConfigureAwait(false);
        }
        finally
        {
            foreach (ChildProcess l in loadgens) l.Dispose();
        }
    }

    /// <summary>Devices one loadgen process simulates at most.</summary>
    public const int DevicesPerLoadgen = 5000;

    private static string StatusFile(string root, int loadgen) => Path.Combine(root, $"loadgen-{loadgen}.json");

    private static async Task<Report> MeasureAsync(ChaosFleet fleet, RssSampler[] rss, List<ChildProcess> loadgens, Stopwatch connect, double idleMb, int devices,
        double holdSeconds, Action<string> info, double deltaFraction, IReadOnlyList<RolloutGroupSpec>? deltaGroups, string? cluster, double connectRate, bool statements,
        CancellationToken ct)
    {
        await fleet.WaitConnectedAsync(devices, TimeSpan.FromSeconds(120 + devices / 20.0 + (connectRate > 0 ? devices / connectRate : 0)), ct).ConfigureAwait(false);
        double connectSeconds = connect.Elapsed.TotalSeconds;
        // Lost connections counted per phase (the loadgens' running totals at each phase's end), to tell a connect storm from drops under load.
        var lostByPhase = new Dictionary<string, long>();
        long lostSoFar = 0;
        async Task PhaseEnded(string phase)
        {
            long now = (await ReadSummariesAsync(fleet.Root, loadgens, ct).ConfigureAwait(false)).Sum(x => x.ConnectionErrors);
            lostByPhase[phase] = now - lostSoFar;
            lostSoFar = now;
        }
        await PhaseEnded("connect").ConfigureAwait(false);
        info($"{devices} devices connected to {rss.Length} node(s) in {connectSeconds:F1} s ({lostSoFar} lost connections retried); rolling out");

        // The database's counts (rows written, statements) cover the last rollout: the delta's when there is one.
        Dictionary<string, long>? rowsBefore = null;
        void LastRolloutStarts()
        {
            if (cluster is null) return;
            rowsBefore = PostgresWrites.PerTable(cluster, PostgresWrites.IdleFlush);
            if (statements) PostgresStatements.Reset(cluster);
        }
        if (deltaFraction == 0) LastRolloutStarts();
        int[] nodePids = [.. Enumerable.Range(0, fleet.NodeCount).Select(fleet.NodeProcessId)], loadgenPids = [.. loadgens.Select(l => l.Id)];
        int? postmaster = cluster is null ? null : CpuClock.PostmasterOf(cluster);
        CpuClock.Reading Cpu() => CpuClock.Read(nodePids, loadgenPids, postmaster);
        await fleet.PublishNextAsync(0, 1, ct).ConfigureAwait(false);
        CpuClock.Reading cpuAtStart = Cpu();
        (ulong, ulong) commitsAtStart = await fleet.CommitsAsync(ct).ConfigureAwait(false);
        var rollout = Stopwatch.StartNew();
        string rolloutId = await fleet.StartRolloutAsync(1, null, ct).ConfigureAwait(false);
        RolloutStatus status = await fleet.Operator.WaitForRolloutAsync(rolloutId, TimeSpan.FromSeconds(120 + devices / 10.0), ct).ConfigureAwait(false);
        double rolloutSeconds = rollout.Elapsed.TotalSeconds;
        int applied = (int)status.Applied;
        Dictionary<string, double> cpu = CpuClock.PerUpdateMs(cpuAtStart, Cpu(), applied);
        CommitReport commits = CommitReport.Between(commitsAtStart, await fleet.CommitsAsync(ct).ConfigureAwait(false), applied);
        await PhaseEnded("rollout").ConfigureAwait(false);
        info($"rollout: {applied}/{devices} applied in {rolloutSeconds:F1} s; holding {holdSeconds} s");

        DeltaReport? delta = null;
        int lastApplied = applied;
        if (deltaFraction > 0)
        {
            ulong next = await fleet.PublishNextAsync(deltaFraction, 2, ct).ConfigureAwait(false);
            LastRolloutStarts();
            CpuClock.Reading deltaCpuAtStart = Cpu();
            (ulong, ulong) deltaCommitsAtStart = await fleet.CommitsAsync(ct).ConfigureAwait(false);
            var deltaClock = Stopwatch.StartNew();
            // Staged as the issue's example: the next group at 95 % applied, a stop past 5 % rejected.
            var staged = new StartRolloutRequest { ModelId = ChaosFleet.ModelId, Version = next, SuccessThresholdPercent = 95, ErrorThresholdPercent = 5 };
            staged.Groups.Add(deltaGroups ?? []);
            string deltaRollout = deltaGroups is { Count: > 0 }
                ? (await fleet.Operator.Client.StartRolloutAsync(staged, cancellationToken: ct)).RolloutId
                : await fleet.StartRolloutAsync(next, null, ct).ConfigureAwait(false);
            RolloutStatus deltaStatus = await fleet.Operator.WaitForRolloutAsync(deltaRollout, TimeSpan.FromSeconds(120 + devices / 10.0), ct).ConfigureAwait(false);
            double deltaSeconds = deltaClock.Elapsed.TotalSeconds;
            Dictionary<string, double> deltaCpu = CpuClock.PerUpdateMs(deltaCpuAtStart, Cpu(), (int)deltaStatus.Applied);
            CommitReport deltaCommits = CommitReport.Between(deltaCommitsAtStart, await fleet.CommitsAsync(ct).ConfigureAwait(false), (int)deltaStatus.Applied);
            double[] deltaLatencies = PushLatenciesMs(deltaStatus);
            delta = new DeltaReport((int)deltaStatus.Applied, deltaSeconds, Percentile(deltaLatencies, 0.50), Percentile(deltaLatencies, 0.99),
                MeanBytes(deltaStatus), MeanBytes(status), Math.Max(1, deltaStatus.Groups.Count), deltaCpu, deltaCommits);
            await PhaseEnded("delta").ConfigureAwait(false);
            info($"delta rollout: {delta.Applied}/{devices} applied in {deltaSeconds:F2} s");
            lastApplied = delta.Applied;
        }

        StatementsReport? statementsReport = statements && cluster is not null ? Statements(PostgresStatements.Read(cluster, TopStatements), lastApplied) : null;
        double holdStart = rss.Sum(r => r.CurrentMb());
        await Task.Delay(TimeSpan.FromSeconds(holdSeconds), ct).ConfigureAwait(false);
        double holdEnd = rss.Sum(r => r.CurrentMb());
        int stillConnected = (int)await fleet.ConnectedAsync(ct).ConfigureAwait(false);
        Dictionary<string, long>? rows = rowsBefore is null ? null : PostgresWrites.Since(rowsBefore, PostgresWrites.PerTable(cluster!, PostgresWrites.IdleFlush));
        double[] latencies = PushLatenciesMs(status);
        List<LoadGenerator.Summary> summaries = await ReadSummariesAsync(fleet.Root, loadgens, ct).ConfigureAwait(false);
        lostByPhase["hold"] = summaries.Sum(x => x.ConnectionErrors) - lostSoFar;
        await Task.WhenAll(loadgens.Select(l => Task.Run(() => l.Stop(), CancellationToken.None))).ConfigureAwait(false);
        var summary = new LoadGenerator.Summary(summaries.Sum(x => x.Devices), summaries.Sum(x => x.Applied), summaries.Sum(x => x.Rejected), summaries.Sum(x => x.ConnectionErrors),
            [.. summaries.SelectMany(x => x.FirstErrors).Take(10)]);
        int missing = devices - applied;
        List<string> errors = [.. summary.FirstErrors];
        if (stillConnected < devices) errors.Add($"only {stillConnected} of {devices} devices still connected after the hold");
        long total = summary.ConnectionErrors + summary.Rejected + missing + (devices - stillConnected);
        return new Report(devices, applied, applied / rolloutSeconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Length == 0 ? double.NaN : latencies[^1],
            total, summary.ConnectionErrors, missing, rss.Sum(r => r.PeakMb), holdStart, holdEnd, holdSeconds, connectSeconds, rolloutSeconds, errors, delta,
            rss.Length, cluster is null ? "sqlite" : "postgresql", [.. rss.Select(r => r.PeakMb)], idleMb, (holdStart - idleMb) * 1024 / devices,
            rows is null ? null : rows.Values.Sum() / (double)Math.Max(1, lastApplied), rows, lostByPhase, connectRate, cpu, commits, statementsReport);
    }

    private static StatementsReport Statements(PostgresStatements.Profile p, int applied)
    {
        double per = Math.Max(1, applied);
        return new StatementsReport(p.Calls / per, p.TotalMs / per, p.TotalMs,
            [.. p.Top.Select(t => new StatementCost(t.Query.Length > 240 ? t.Query[..240] + "…" : t.Query, t.Calls / per, t.TotalMs, t.MeanMs, t.Calls))]);
    }

    /// <summary>The loadgens' counts: they write them every second, so this waits for one more write and reads them.</summary>
    private static async Task<List<LoadGenerator.Summary>> ReadSummariesAsync(string root, List<ChildProcess> loadgens, CancellationToken ct)
    {
        await Task.Delay(1500, ct).ConfigureAwait(false);
        var summaries = new List<LoadGenerator.Summary>();
        for (int p = 0; p < loadgens.Count; p++)
        {
            string counts = StatusFile(root, p);
            summaries.Add(File.Exists(counts)
                ? JsonSerializer.Deserialize<LoadGenerator.Summary>(await File.ReadAllTextAsync(counts, ct).ConfigureAwait(false), LoadGenerator.StatusJson)!
                : throw new InvalidDataException($"loadgen {p} wrote no status: {loadgens[p].Stderr}"));
        }
        return summaries;
    }

    private static double MeanBytes(RolloutStatus status) => status.Devices.Count == 0 ? double.NaN : status.Devices.Average(d => (double)d.Bytes);

    /// <summary>Rollout start to each device's ack, ms, sorted (applied devices only).</summary>
    private static double[] PushLatenciesMs(RolloutStatus status) =>
        [.. status.Devices.Where(d => d.Outcome == UpdateOutcome.Applied).Select(d => (double)(d.AckedUnixMs - status.CreatedUnixMs)).Order()];

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    /// <summary>Resident set size of a process from /proc, sampled in the background; the peak is kept.</summary>
    private sealed class RssSampler : IDisposable
    {
        private readonly int _pid;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private double _peakMb;

        public RssSampler(int pid)
        {
            _pid = pid;
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    double mb = CurrentMb();
                    if (mb > _peakMb) _peakMb = mb;
                    try { await Task.Delay(200, _stop.Token).ConfigureAwait(false); }
                    catch (OperationCanceledException) { return; }
                }
            });
        }

        public double PeakMb => Math.Max(_peakMb, CurrentMb());

        public double CurrentMb()
        {
            string path = $"/proc/{_pid}/status";
            if (!File.Exists(path)) return 0;
            string? line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait();
            _stop.Dispose();
        }
    }
}
