using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Harness.Reliability.Fuzzing;

namespace EdgeSkyrmion.Harness.Commands;

/// <summary>`fuzz`: mutation fuzzing of the device's decoders in-process (update/delta path, signed metadata, IDX reader, state files).</summary>
public static class FuzzCommand
{
    public static Command Build()
    {
        var target = new Option<string>("--target") { Description = "What to fuzz: delta (signed update → programming), metadata (root-signed delegations → key trust), idx (IDX reader), state (state/journal loader).", Required = true };
        target.AcceptOnlyFromAmong("delta", "metadata", "idx", "state");
        var inputs = new Option<long>("--inputs") { Description = "Number of inputs (seeds first, then mutants).", DefaultValueFactory = _ => 100_000 };
        var seed = new Option<int>("--seed") { Description = "Mutator seed (same seed, same inputs).", DefaultValueFactory = _ => 1 };
        var limit = new Option<double>("--timeout-ms") { Description = "Per-input time limit in ms; over it counts as a hang.", DefaultValueFactory = _ => 2000 };
        var scratch = new Option<string?>("--scratch") { Description = "Scratch directory for the fuzzed device's files (default: a new temp directory)." };
        Command command = CliCommand.Create("fuzz",
            "Fuzz a decoder with seeded mutations of valid inputs; every input must be accepted or refused with a clear error, never crash, hang or half-apply. " +
            "Example: fuzz --target delta --inputs 100000 --json",
            (parse, ctx, ct) =>
            {
                long n = parse.GetValue(inputs);
                double ms = parse.GetValue(limit);
                if (n < 1) throw new ArgumentException($"--inputs must be at least 1, got {n}.");
                if (ms <= 0) throw new ArgumentException($"--timeout-ms must be positive, got {ms}.");
                string dir = parse.GetValue(scratch) ?? Path.Combine(Path.GetTempPath(), "edgeskyrmion-fuzz-" + Guid.NewGuid().ToString("N"));
                using IFuzzTarget fuzzTarget = parse.GetValue(target) switch
                {
                    "delta" => new DeltaFuzzTarget(dir),
                    "metadata" => new MetadataFuzzTarget(dir),
                    "idx" => new IdxFuzzTarget(dir),
                    _ => new StateFuzzTarget(dir),
                };
                FuzzCampaign.Report report = ctx.WithProgress($"fuzz {fuzzTarget.Name}", p => FuzzCampaign.Run(fuzzTarget, n, parse.GetValue(seed), TimeSpan.FromMilliseconds(ms), p));
                ctx.Emit(report, o =>
                {
                    o.WriteLine($"fuzz {report.Target}: {report.Inputs} inputs in {report.Seconds:F1} s ({report.InputsPerSecond:F0}/s): " +
                        $"{report.Accepted} accepted, {report.Rejected} rejected, {report.Crashes} crashes, {report.Hangs} hangs, {report.PartialApplications} partial applications");
                    foreach (FuzzCampaign.Reason r in report.TopRejections) o.WriteLine($"  {r.Count,8}  {r.Message}");
                    foreach (FuzzCampaign.Finding f in report.Findings) o.WriteLine($"  {f.Kind}: {f.Exception} {f.Message}\n    input {f.InputBase64}");
                });
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { target, inputs, seed, limit, scratch }) command.Options.Add(o);
        return command;
    }
}
