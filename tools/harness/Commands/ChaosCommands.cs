using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Harness.Reliability.Chaos;

namespace EdgeSkyrmion.Harness.Commands;

/// <summary>`chaos kill-edge|cut-connection|restart-cloud|kill-node|restart-database`: fault injection against real server and edge processes on loopback.</summary>
public static class ChaosCommands
{
    public static Command Build()
    {
        var chaos = new Command("chaos", "Inject faults into a real loopback fleet (server and edge processes) and check that no update is torn, lost or applied twice.");
        chaos.Subcommands.Add(Scenario("kill-edge", "kill -9 the edge at instants aimed at each phase of a pushed delta (six in ten mid-programming), restart it; faults counted by the phase they hit. Example: chaos kill-edge --trials 100 --json",
            defaultTrials: 100, [], (_, dir, trials, seed, _, p, ct) => KillEdgeChaos.RunAsync(dir, trials, seed, p, ct)));
        chaos.Subcommands.Add(Scenario("cut-connection", "Reset the device's TCP connection at instants aimed at each phase of an update (paced loopback proxy); it must reconnect and apply once. Example: chaos cut-connection --trials 100 --json",
            defaultTrials: 100, [], (_, dir, trials, seed, _, p, ct) => CutConnectionChaos.RunAsync(dir, trials, seed, p, ct)));
        var devices = new Option<int>("--devices") { Description = "Edge processes in the rollout.", DefaultValueFactory = _ => 3 };
        chaos.Subcommands.Add(Scenario("restart-cloud", "kill -9 the server mid-rollout to several edges, restart it on the same database. Example: chaos restart-cloud --trials 5 --devices 3 --json",
            defaultTrials: 5, [devices], (parse, dir, trials, seed, _, p, ct) =>
            {
                int n = parse.GetValue(devices);
                if (n < 1) throw new ArgumentException($"--devices must be at least 1, got {n}.");
                return RestartCloudChaos.RunAsync(dir, trials, n, seed, p, ct);
            }));
        chaos.Subcommands.Add(ClusterScenario(ClusterChaos.Fault.KillNode, "kill-node",
            "On a cluster of real `serve` nodes on a throwaway PostgreSQL, kill -9 a random node mid-rollout (staged 10/50/100 %) and restart it; devices move to another node. Example: chaos kill-node --nodes 3 --devices 300 --trials 20 --json", 20));
        chaos.Subcommands.Add(ClusterScenario(ClusterChaos.Fault.RestartDatabase, "restart-database",
            "On a cluster of real `serve` nodes, stop PostgreSQL mid-rollout for 3 s and start it again. Example: chaos restart-database --nodes 3 --devices 300 --trials 5 --json", 5));
        return chaos;
    }

    private static Command ClusterScenario(ClusterChaos.Fault fault, string name, string description, int defaultTrials)
    {
        var nodes = new Option<int>("--nodes") { Description = "`serve` processes in the cluster.", DefaultValueFactory = _ => 3 };
        var devices = new Option<int>("--devices") { Description = "Simulated wearables (real device state, one stream each) in the rollout.", DefaultValueFactory = _ => 300 };
        return Scenario(name, description, defaultTrials, [nodes, devices], (parse, dir, trials, seed, info, p, ct) =>
        {
            int n = parse.GetValue(nodes), d = parse.GetValue(devices);
            if (n < 1) throw new ArgumentException($"--nodes must be at least 1, got {n}.");
            if (d < 1) throw new ArgumentException($"--devices must be at least 1, got {d}.");
            return ClusterChaos.RunAsync(fault, dir, n, d, trials, seed, info, p, ct);
        });
    }

    private static Command Scenario(string name, string description, int defaultTrials, Option[] extra,
        Func<ParseResult, string, int, int, Action<string>, Action<double>, CancellationToken, Task<ChaosReport>> run)
    {
        var trials = new Option<int>("--trials") { Description = "Number of faults to inject.", DefaultValueFactory = _ => defaultTrials };
        var seed = new Option<int>("--seed") { Description = "Seed for fault instants and model versions.", DefaultValueFactory = _ => 1 };
        var work = new Option<string?>("--work") { Description = "Working directory for the fleet database and device states (default: a new temp directory)." };
        Command command = CliCommand.Create(name, description, async (parse, ctx, ct) =>
        {
            int n = parse.GetValue(trials);
            if (n < 1) throw new ArgumentException($"--trials must be at least 1, got {n}.");
            string dir = parse.GetValue(work) ?? Path.Combine(Path.GetTempPath(), $"edgeskyrmion-chaos-{name}-{Guid.NewGuid():N}");
            ChaosReport report = await run(parse, dir, n, parse.GetValue(seed), m => ctx.Info(m), f => ctx.Info($"{name}: {f:P0}"), ct).ConfigureAwait(false);
            ctx.Emit(report, o =>
            {
                FaultsByPhase p = report.FaultsByPhase;
                o.WriteLine($"{report.Scenario}: {report.Trials} trials on {report.Devices} device(s) in {report.Seconds:F0} s: " +
                    $"{report.TornStates} torn states, {report.LostUpdates} lost updates, {report.DoubleApplied} double-applied; mean recovery {report.MeanRecoverySeconds:F2} s" +
                    (report.Nodes is { } nodes ? $"; {nodes} nodes, {report.DevicesReconnectedElsewhere} devices reconnected through another node" : ""));
                o.WriteLine($"  faults by phase: {p.BeforeArrival} before arrival, {p.ChunksArriving} while chunks arrived, {p.MidProgramming} mid-programming, " +
                    $"{p.AfterCommitBeforeAck} after commit before the ack, {p.AfterAck} after the ack");
                foreach (string f in report.Failures) o.WriteLine("  " + f);
            });
        });
        foreach (Option o in new Option[] { trials, seed, work }.Concat(extra)) command.Options.Add(o);
        return command;
    }
}
