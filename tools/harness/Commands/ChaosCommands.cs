using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Harness.Reliability.Chaos;

namespace EdgeSkyrmion.Harness.Commands;

/// <summary>`chaos kill-edge|cut-connection|restart-cloud`: fault injection against real server and edge processes on loopback.</summary>
public static class ChaosCommands
{
    public static Command Build()
    {
        var chaos = new Command("chaos", "Inject faults into a real loopback fleet (server and edge processes) and check that no update is torn, lost or applied twice.");
        chaos.Subcommands.Add(Scenario("kill-edge", "kill -9 the edge at instants aimed at each phase of a pushed delta (six in ten mid-programming), restart it; faults counted by the phase they hit. Example: chaos kill-edge --trials 100 --json",
            defaultTrials: 100, [], (_, dir, trials, seed, p, ct) => KillEdgeChaos.RunAsync(dir, trials, seed, p, ct)));
        chaos.Subcommands.Add(Scenario("cut-connection", "Reset the device's TCP connection at instants aimed at each phase of an update (paced loopback proxy); it must reconnect and apply once. Example: chaos cut-connection --trials 100 --json",
            defaultTrials: 100, [], (_, dir, trials, seed, p, ct) => CutConnectionChaos.RunAsync(dir, trials, seed, p, ct)));
        var devices = new Option<int>("--devices") { Description = "Edge processes in the rollout.", DefaultValueFactory = _ => 3 };
        chaos.Subcommands.Add(Scenario("restart-cloud", "kill -9 the server mid-rollout to several edges, restart it on the same database. Example: chaos restart-cloud --trials 5 --devices 3 --json",
            defaultTrials: 5, [devices], (parse, dir, trials, seed, p, ct) =>
            {
                int n = parse.GetValue(devices);
                if (n < 1) throw new ArgumentException($"--devices must be at least 1, got {n}.");
                return RestartCloudChaos.RunAsync(dir, trials, n, seed, p, ct);
            }));
        return chaos;
    }

    private static Command Scenario(string name, string description, int defaultTrials, Option[] extra,
        Func<ParseResult, string, int, int, Action<double>, CancellationToken, Task<ChaosReport>> run)
    {
        var trials = new Option<int>("--trials") { Description = "Number of faults to inject.", DefaultValueFactory = _ => defaultTrials };
        var seed = new Option<int>("--seed") { Description = "Seed for fault instants and model versions.", DefaultValueFactory = _ => 1 };
        var work = new Option<string?>("--work") { Description = "Working directory for the fleet database and device states (default: a new temp directory)." };
        Command command = CliCommand.Create(name, description, async (parse, ctx, ct) =>
        {
            int n = parse.GetValue(trials);
            if (n < 1) throw new ArgumentException($"--trials must be at least 1, got {n}.");
            string dir = parse.GetValue(work) ?? Path.Combine(Path.GetTempPath(), $"edgeskyrmion-chaos-{name}-{Guid.NewGuid():N}");
            ChaosReport report = await run(parse, dir, n, parse.GetValue(seed), f => ctx.Info($"{name}: {f:P0}"), ct).ConfigureAwait(false);
            ctx.Emit(report, o =>
            {
                FaultsByPhase p = report.FaultsByPhase;
                o.WriteLine($"{report.Scenario}: {report.Trials} trials on {report.Devices} device(s) in {report.Seconds:F0} s: " +
                    $"{report.TornStates} torn states, {report.LostUpdates} lost updates, {report.DoubleApplied} double-applied; mean recovery {report.MeanRecoverySeconds:F2} s");
                o.WriteLine($"  faults by phase: {p.BeforeArrival} before arrival, {p.ChunksArriving} while chunks arrived, {p.MidProgramming} mid-programming, " +
                    $"{p.AfterCommitBeforeAck} after commit before the ack, {p.AfterAck} after the ack");
                foreach (string f in report.Failures) o.WriteLine("  " + f);
            });
        });
        foreach (Option o in new Option[] { trials, seed, work }.Concat(extra)) command.Options.Add(o);
        return command;
    }
}
