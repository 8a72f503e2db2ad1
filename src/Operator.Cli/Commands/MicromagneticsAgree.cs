using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.DeviceModel.Micromagnetics;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>
/// `device mm agree`: the issue's "two paths, one answer" on the accelerator this machine has — the C# path and the ILGPU
/// kernel path run the same film side by side (<see cref="BackendAgreement"/>). Exits 2 when they differ beyond the
/// tolerances: on a GPU that is a fault of the kernel path or the accelerator, not of the caller's input.
/// </summary>
public static class MicromagneticsAgree
{
    /// <summary>The `device mm agree` JSON: the comparison, whether it agrees, and the tolerances it was held to.</summary>
    public sealed record Summary(string Backend, string Fft, string BackendFft, string BackendIntegrator, int Nx, int Ny, int Nz, int Steps, int Threads, double TorqueScaleRadPerS,
        double MaxTorqueDifferenceRelative, double MaxTimeStepDifferenceRelative, double MaxMagnetizationDifference, double SimulatedTimeS,
        double CsharpSeconds, double BackendSeconds, bool Agrees, double TorqueTolerance, double TimeStepTolerance, double MagnetizationTolerance);

    public static Command Build(Option<int> threads)
    {
        var nx = new Option<int>("--nx") { Description = "Cells along x (≥ 8).", DefaultValueFactory = _ => 64 };
        var ny = new Option<int>("--ny") { Description = "Cells along y (≥ 8).", DefaultValueFactory = _ => 64 };
        var nz = new Option<int>("--nz") { Description = "Layers (touching, 1 nm each; > 1 runs demag as a 3-D transform).", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "Dormand–Prince steps run on both paths before m is compared.", DefaultValueFactory = _ => 4 };
        Option<string> backend = IlgpuBackendOption.Create();
        Command command = CliCommand.Create("agree",
            "Run one paper film (every term on) on the C# path and on the ILGPU kernel path and compare the torque and m after RK45 steps; " +
            "exit 2 if they differ beyond rounding. Example: device mm agree --nx 256 --ny 256 --steps 4 --json",
            (parse, ctx, _) =>
            {
                using IDisposable fft = MicromagneticsCommands.UseFft(parse);
                bool cpuOnly = IlgpuBackendOption.CpuOnly(parse, backend);
                int workers = parse.GetValue(threads);
                BackendAgreement.Result r = MicromagneticsCommands.Guard(() =>
                    BackendAgreement.Compare(parse.GetValue(nx), parse.GetValue(ny), parse.GetValue(nz), parse.GetValue(steps), cpuOnly, workers));
                if (r.BackendNote is string why) ctx.Info($"note: {why}");
                var summary = new Summary(r.Backend, DemagProvider.Current, r.BackendFft, r.Integrator, r.Nx, r.Ny, r.Nz, r.Steps, workers, r.TorqueScaleRadPerS, r.MaxTorqueDifferenceRelative,
                    r.MaxTimeStepDifferenceRelative, r.MaxMagnetizationDifference, r.SimulatedTimeS, r.CsharpSeconds, r.OtherSeconds, r.Agrees,
                    BackendAgreement.TorqueTolerance, BackendAgreement.TimeStepTolerance, BackendAgreement.MagnetizationTolerance);
                ctx.Emit(summary, o => o.WriteLine($"{(r.Agrees ? "agree" : "DIFFER")}: csharp (demag on {summary.Fft}) and {r.Backend} (demag on {r.BackendFft}) on {r.Nx} × {r.Ny} × {r.Nz} cells, {r.Steps} RK45 steps ({r.Integrator} on the ILGPU side) " +
                    $"({r.SimulatedTimeS:E3} s): torque {r.MaxTorqueDifferenceRelative:E2} of its largest {r.TorqueScaleRadPerS:E3} rad/s (≤ {BackendAgreement.TorqueTolerance:E0}), " +
                    $"step sizes {r.MaxTimeStepDifferenceRelative:E2} (≤ {BackendAgreement.TimeStepTolerance:E0}), |Δm| {r.MaxMagnetizationDifference:E2} " +
                    $"(≤ {BackendAgreement.MagnetizationTolerance:E0}); {r.CsharpSeconds:F2} s against {r.OtherSeconds:F2} s"));
                return Task.FromResult(r.Agrees ? ExitCode.Ok : ExitCode.InternalError);
            });
        foreach (Option option in (Option[])[nx, ny, nz, steps, backend, threads, MicromagneticsCommands.Fft]) command.Options.Add(option);
        return command;
    }
}
