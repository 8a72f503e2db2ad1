using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.DeviceModel.Micromagnetics;
using EdgeSkyrmion.DeviceModel.Micromagnetics.Problems;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>
/// `device mm run | bench | agree | track` and `device derive`: the micromagnetic layer under the particle model — the
/// standard problems it is validated on, its speed, its two paths' agreement, the device run, and the particle-model inputs it derives. A diverging run exits 1 with its cause.
/// </summary>
public static class MicromagneticsCommands
{
    private static readonly Option<int> Threads = new("--threads") { Description = "Worker threads (-1: all cores).", DefaultValueFactory = _ => -1 };

    /// <summary>`--fft`, on every command that runs micromagnetics: which FFT the demag convolution runs on.</summary>
    public static readonly Option<string> Fft = new("--fft")
    {
        Description = $"FFT of the demag convolution: {TorchDemag.ProviderName} (libtorch; the default, several times faster) or {DemagProvider.Default} (Math.NET, in the device model itself). Both give the same field to rounding.",
        DefaultValueFactory = _ => DemagFfts.Names[0],
    };

    /// <summary>`--backend`, on the commands that run micromagnetics: which path evaluates the torque.</summary>
    public static readonly Option<string> Backend = new("--backend")
    {
        Description = "csharp (default), ilgpu (the preferred accelerator: on CUDA the torque and demag, on cuFFT, run on the GPU) or ilgpu-cpu (ILGPU's CPU accelerator, a correctness check).",
        DefaultValueFactory = _ => "csharp",
    };

    /// <summary>Scopes the path `--backend` names over the command's run (every magnet it builds; <see cref="TorqueBackends"/>), refused before any work if it is none of the three.</summary>
    public static IDisposable UseBackend(ParseResult parse) => TorqueBackends.Use(parse.GetValue(Backend)!);

    /// <summary>Scopes the demag implementation `--fft` names over the command's run.</summary>
    public static IDisposable UseFft(ParseResult parse) => DemagFfts.Use(parse.GetValue(Fft)!);

    /// <summary>Adds `mm` and `derive` to the `device` command.</summary>
    public static void AddTo(Command device)
    {
        var mm = new Command("mm", "Micromagnetics (finite-difference LLG): standard problems, speed, the two paths' agreement and the device run.");
        mm.Subcommands.Add(Run());
        mm.Subcommands.Add(MicromagneticsBench.Build(Threads));
        mm.Subcommands.Add(MicromagneticsAgree.Build(Threads));
        mm.Subcommands.Add(MicromagneticsTrack.Build(Threads));
        device.Subcommands.Add(mm);
        device.Subcommands.Add(MicromagneticsDerive.Build(Threads));
    }

    /// <summary>Physics warnings (under-resolved cells) go to stderr whatever the output format; the JSON carries them too.</summary>
    public static void Warn(CliContext ctx, IEnumerable<string> warnings)
    {
        foreach (string warning in warnings) ctx.Info($"warning: {warning}");
    }

    /// <summary>Runs <paramref name="body"/>, turning a divergence into bad input (exit 1) with its message.</summary>
    public static T Guard<T>(Func<T> body)
    {
        try
        {
            return body();
        }
        catch (DivergenceException e)
        {
            throw new BadInputException($"the run diverged: {e.Message}");
        }
    }

    private static Command Run()
    {
        var problem = new Option<string>("--problem") { Description = "sp4 (µMAG 4, field 1), sp4b (field 2) or dmi-disk (Cortés-Ortuño 2018, 2-D).", Required = true };
        var cell = new Option<double>("--cell-nm") { Description = "Cell size, nm (sp4: 500/128 by default; dmi-disk: 2).", DefaultValueFactory = _ => 0 };
        Command command = CliCommand.Create("run",
            "Run a standard problem and print ours beside the published reference. Example: device mm run --problem sp4 --json",
            (parse, ctx, _) =>
            {
                using IDisposable fft = UseFft(parse);
                using IDisposable backend = UseBackend(parse);
                string name = parse.GetValue(problem)!;
                double cellNm = parse.GetValue(cell);
                int threads = parse.GetValue(Threads);
                if (name is "sp4" or "sp4b") Guard(() => Sp4(ctx, name == "sp4" ? 1 : 2, cellNm, threads));
                else if (name == "dmi-disk") Guard(() => DmiDisk(ctx, cellNm, threads));
                else throw new ArgumentException($"unknown problem '{name}': use sp4, sp4b or dmi-disk.");
                return Task.CompletedTask;
            });
        command.Options.Add(problem);
        command.Options.Add(cell);
        command.Options.Add(Threads);
        command.Options.Add(Fft);
        command.Options.Add(Backend);
        return command;
    }

    /// <summary>The `device mm run --problem sp4` JSON.</summary>
    public sealed record Sp4Summary(string Problem, string Backend, int Nx, int Ny, double[] SettledM, double[] ReferenceSettledM, double[] FinalM, double[] ReferenceFinalM,
        double? FirstMxZeroCrossingNs, long AcceptedSteps, long RejectedSteps, double WallSeconds, string Reference, string[] Warnings, double[][] TrajectoryTNsMxMyMz);

    private static Sp4Summary Sp4(CliContext ctx, int field, double cellNm, int threads)
    {
        int nx = cellNm > 0 ? (int)Math.Round(StandardProblem4.LengthM / (cellNm * 1e-9)) : 128;
        int ny = Math.Max(1, (int)Math.Round(nx * StandardProblem4.WidthM / StandardProblem4.LengthM));
        var r = ctx.WithProgress($"sp4 field {field}", p => StandardProblem4.Run(field, nx, ny, threads, progress: p));
        Warn(ctx, r.Warnings);
        var reference = field == 1 ? StandardProblem4.Reference.Field1At1Ns : StandardProblem4.Reference.Field2At1Ns;
        var summary = new Sp4Summary(field == 1 ? "sp4" : "sp4b", r.Backend, nx, ny, [r.Settled.Mx, r.Settled.My, r.Settled.Mz],
            [StandardProblem4.Reference.Settled.X, StandardProblem4.Reference.Settled.Y, StandardProblem4.Reference.Settled.Z],
            [r.Final.Mx, r.Final.My, r.Final.Mz], [reference.X, reference.Y, reference.Z], r.FirstMxZeroCrossingS * 1e9,
            r.AcceptedSteps, r.RejectedSteps, r.WallSeconds, "mumax3 128×32×1, test/cert/standardproblem4.go (field 1) and standardproblem4b.go (field 2)",
            [.. r.Warnings], [.. r.Trajectory.Select(s => new[] { s.TimeS * 1e9, s.Mx, s.My, s.Mz })]);
        ctx.Emit(summary, o =>
        {
            o.WriteLine($"µMAG standard problem 4, field {field}, {nx} × {ny} × 1 cells, {r.Backend} ({r.WallSeconds:F1} s, {r.AcceptedSteps} steps, {r.RejectedSteps} rejected)");
            o.WriteLine($"settled ⟨m⟩ = ({r.Settled.Mx:F5}, {r.Settled.My:F5}, {r.Settled.Mz:F5})   mumax3 ({summary.ReferenceSettledM[0]}, {summary.ReferenceSettledM[1]}, {summary.ReferenceSettledM[2]})");
            o.WriteLine($"⟨m⟩ at 1 ns  = ({r.Final.Mx:F5}, {r.Final.My:F5}, {r.Final.Mz:F5})   mumax3 ({reference.X}, {reference.Y}, {reference.Z})");
            o.WriteLine($"first ⟨mx⟩ = 0 at {summary.FirstMxZeroCrossingNs:F4} ns");
        });
        return summary;
    }

    /// <summary>The `device mm run --problem dmi-disk` JSON.</summary>
    public sealed record DmiDiskSummary(string Problem, string Backend, double CellNm, double RadiusNm, double ReferenceRadiusNm, int RelaxSteps, bool Converged, double EnergyJ,
        double WallSeconds, string Reference, string[] Warnings, double[][] ProfileRNmMz);

    private static DmiDiskSummary DmiDisk(CliContext ctx, double cellNm, int threads)
    {
        var r = DmiDiskProblem.Run((cellNm > 0 ? cellNm : 2) * 1e-9, threads);
        Warn(ctx, r.Warnings);
        var summary = new DmiDiskSummary("dmi-disk", r.Backend, r.CellM * 1e9, r.RadiusM * 1e9, r.ReferenceRadiusM * 1e9, r.RelaxSteps, r.Converged, r.EnergyJ, r.WallSeconds,
            "Cortés-Ortuño et al., New J. Phys. 20, 113015 (2018): ODE profile, m_z = 0 at 22.03 nm", [.. r.Warnings],
            [.. r.Profile.Select(p => new[] { p.RadiusM * 1e9, p.Mz })]);
        ctx.Emit(summary, o =>
        {
            o.WriteLine($"DMI standard problem (2-D disk), {summary.CellNm:F2} nm cells, {r.Backend}: skyrmion radius {summary.RadiusNm:F2} nm, reference {summary.ReferenceRadiusNm:F2} nm");
            o.WriteLine($"relaxed in {r.RelaxSteps} steps (converged: {r.Converged}), {r.WallSeconds:F1} s");
        });
        return summary;
    }
}
