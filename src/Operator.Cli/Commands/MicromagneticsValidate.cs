using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.DeviceModel.Micromagnetics;
using EdgeSkyrmion.DeviceModel.Micromagnetics.Problems;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>
/// `device mm validate`: every standard problem beside its published solution (<see cref="Validation"/>) on the chosen
/// path, one line a check. Exits 2 when a check is out of its bound: on a sound install that is a fault of the solver
/// or the accelerator, not of the caller's input.
/// </summary>
public static class MicromagneticsValidate
{
    /// <summary>The `device mm validate` JSON.</summary>
    public sealed record Summary(string Backend, string Fft, bool Passed, double WallSeconds, IReadOnlyList<Validation.Check> Checks);

    public static Command Build(Option<int> threads)
    {
        Command command = CliCommand.Create("validate",
            "Run every standard problem (the demag factors of a cube, a prism, a two-layer stack and a thin film, µMAG 3's crossing, µMAG 4 against magnum.np and mumax3, the DMI disk and chain " +
            "against mumax3 and the ODE) and hold each to its bound; " +
            "exit 2 if one is out. Example: device mm validate --backend ilgpu --json",
            (parse, ctx, _) =>
            {
                using IDisposable fft = MicromagneticsCommands.UseFft(parse);
                using IDisposable backend = MicromagneticsCommands.UseBackend(parse);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                IReadOnlyList<Validation.Check> checks = MicromagneticsCommands.Guard(() => Validation.Run(parse.GetValue(threads), step => ctx.Info($"running {step} …")));
                var summary = new Summary(parse.GetValue(MicromagneticsCommands.Backend)!, DemagProvider.Current, checks.All(c => c.Passed), clock.Elapsed.TotalSeconds, checks);
                ctx.Emit(summary, o =>
                {
                    foreach (Validation.Check c in checks)
                        o.WriteLine($"{(c.Passed ? "pass" : "FAIL")}  {c.Name,-20} {c.Measured,10:E2} ≤ {c.Bound:E0} {c.Unit,-7} {c.Against}");
                    o.WriteLine($"{checks.Count(c => c.Passed)} of {checks.Count} within their bounds ({summary.Backend}, demag on {summary.Fft}, {summary.WallSeconds:F0} s)");
                });
                return Task.FromResult(summary.Passed ? ExitCode.Ok : ExitCode.InternalError);
            });
        foreach (Option option in (Option[])[threads, MicromagneticsCommands.Fft, MicromagneticsCommands.Backend]) command.Options.Add(option);
        return command;
    }
}
