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
        mm.Subcommands.Add(MicromagneticsValidate.Build(Threads));
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
        var problem = new Option<string>("--problem") { Description = "sp3 (µMAG 3, the cube's flower and vortex), sp4 (µMAG 4, field 1), sp4b (field 2), dmi-disk (Cortés-Ortuño 2018, 2-D) or dmi-chain (its 1-D problem).", Required = true };
        var cell = new Option<double>("--cell-nm") { Description = "Cell size, nm (sp4: 500/128 by default, mumax3's mesh; 5 is magnum.np's; dmi-disk: 2).", DefaultValueFactory = _ => 0 };
        var cubeCells = new Option<int>("--cells")
        {
            Description = $"sp3: cells along each edge of the cube, {StandardProblem3.MinCellsPerEdge}–{StandardProblem3.MaxCellsPerEdge} (16: 4 s here; 32: 34 s).",
            DefaultValueFactory = _ => 16,
        };
        var gamma = new Option<double>("--gamma-m-per-as")
        {
            Description = $"sp4: the gyromagnetic ratio, m/(A·s) (default the problem's {StandardProblem4.ProblemGyromagneticRatioMPerAS:G4}; a reference code's own, e.g. magnum.np's 2.21276157e5, compares like with like).",
            DefaultValueFactory = _ => StandardProblem4.ProblemGyromagneticRatioMPerAS,
        };
        var maxError = new Option<double>("--max-error-rad")
        {
            Description = $"sp4: the RK45's tolerated error per step, rad (default mumax3's {DormandPrinceStepper.DefaultMaxErrorRad:G2}; lower it to check the run is converged in time).",
            DefaultValueFactory = _ => DormandPrinceStepper.DefaultMaxErrorRad,
        };
        var settleTorque = new Option<double>("--settle-torque-t")
        {
            Description = $"sp4: the torque the S-state is minimized to, T (default {StandardProblem4.SettleTorqueT:G2}; at most {StandardProblem4.MaxSettleTorqueT:G2}; field 2's end moves with it, field 1's hardly).",
            DefaultValueFactory = _ => StandardProblem4.SettleTorqueT,
        };
        Command command = CliCommand.Create("run",
            "Run a standard problem and print ours beside the published reference. Example: device mm run --problem sp4 --json",
            (parse, ctx, _) =>
            {
                using IDisposable fft = UseFft(parse);
                using IDisposable backend = UseBackend(parse);
                string name = parse.GetValue(problem)!;
                double cellNm = parse.GetValue(cell);
                int threads = parse.GetValue(Threads);
                double gammaMPerAS = parse.GetValue(gamma), maxErrorRad = parse.GetValue(maxError), settleTorqueT = parse.GetValue(settleTorque);
                if (name != "sp3" && parse.GetResult(cubeCells) is { Implicit: false })
                    throw new ArgumentException("--cells belongs to sp3 (the cube's cells an edge); the other problems take --cell-nm.");
                if (name is "sp4" or "sp4b") Guard(() => Sp4(ctx, name == "sp4" ? 1 : 2, cellNm, threads, gammaMPerAS, maxErrorRad, settleTorqueT));
                else if (name == "sp3") Guard(() => Sp3(ctx, parse.GetValue(cubeCells), threads));
                else if (name is "dmi-disk" or "dmi-chain")
                {
                    if (parse.GetResult(gamma) is { Implicit: false } || parse.GetResult(maxError) is { Implicit: false } || parse.GetResult(settleTorque) is { Implicit: false })
                        throw new ArgumentException($"--gamma-m-per-as, --max-error-rad and --settle-torque-t belong to sp4 and sp4b ({name} is a minimization).");
                    if (name == "dmi-disk") Guard(() => DmiDisk(ctx, cellNm, threads));
                    else if (cellNm != 0) throw new ArgumentException("dmi-chain runs on mumax3's mesh, 1 nm cells: leave --cell-nm out.");
                    else Guard(() => DmiChain(ctx, threads));
                }
                else throw new ArgumentException($"unknown problem '{name}': use sp3, sp4, sp4b, dmi-disk or dmi-chain.");
                return Task.CompletedTask;
            });
        command.Options.Add(problem);
        command.Options.Add(cell);
        command.Options.Add(cubeCells);
        command.Options.Add(gamma);
        command.Options.Add(maxError);
        command.Options.Add(settleTorque);
        command.Options.Add(Threads);
        command.Options.Add(Fft);
        command.Options.Add(Backend);
        return command;
    }

    /// <summary>
    /// The `device mm run --problem sp4` JSON. The reference is the published solution on the same mesh (mumax3 on
    /// 128 × 32, magnum.np on 100 × 25 for field 1; none on others), with the γ it ran with and the largest |Δm| over its samples.
    /// </summary>
    public sealed record Sp4Summary(string Problem, string Backend, int Nx, int Ny, double GammaMPerAS, double MaxErrorRad, double SettleTorqueT, double[] SettledM, int SettleIterations,
        double[] FinalM, double? FirstMxZeroCrossingNs, long AcceptedSteps, long RejectedSteps, double WallSeconds, Sp4Reference? Reference, string[] Warnings,
        double[][] TrajectoryTNsMxMyMz);

    /// <summary>A published solution beside the run: where it is from, its γ, its settled and last ⟨m⟩, and how far the run strays from its samples.</summary>
    public sealed record Sp4Reference(string Code, string Source, double GammaMPerAS, double[]? SettledM, double[] FinalM, int Samples,
        double LargestDeviation, double LargestDeviationAtNs);

    private static Sp4Summary Sp4(CliContext ctx, int field, double cellNm, int threads, double gammaMPerAS, double maxErrorRad, double settleTorqueT)
    {
        int nx = cellNm > 0 ? (int)Math.Round(StandardProblem4.LengthM / (cellNm * 1e-9)) : 128;
        int ny = Math.Max(1, (int)Math.Round(nx * StandardProblem4.WidthM / StandardProblem4.LengthM));
        var r = ctx.WithProgress($"sp4 field {field}", p => StandardProblem4.Run(field, nx, ny, threads, progress: p, gyromagneticRatioMPerAS: gammaMPerAS, maxErrorRad: maxErrorRad, settleTorqueT: settleTorqueT));
        Warn(ctx, r.Warnings);
        Sp4Reference? reference = StandardProblem4.Reference.For(field, nx, ny) is { } published
            ? Compare(published, r.Trajectory)
            : null;
        var summary = new Sp4Summary(field == 1 ? "sp4" : "sp4b", r.Backend, nx, ny, gammaMPerAS, maxErrorRad, settleTorqueT, [r.Settled.Mx, r.Settled.My, r.Settled.Mz], r.SettleIterations,
            [r.Final.Mx, r.Final.My, r.Final.Mz], r.FirstMxZeroCrossingS * 1e9, r.AcceptedSteps, r.RejectedSteps, r.WallSeconds, reference,
            [.. r.Warnings], [.. r.Trajectory.Select(s => new[] { s.TimeS * 1e9, s.Mx, s.My, s.Mz })]);
        ctx.Emit(summary, o =>
        {
            o.WriteLine($"µMAG standard problem 4, field {field}, {nx} × {ny} × 1 cells, γ {gammaMPerAS:G9} m/(A·s), {r.Backend} ({r.WallSeconds:F1} s, " +
                $"settled in {r.SettleIterations} iterations, {r.AcceptedSteps} steps, {r.RejectedSteps} rejected)");
            o.WriteLine($"settled ⟨m⟩ = ({r.Settled.Mx:F5}, {r.Settled.My:F5}, {r.Settled.Mz:F5})" +
                (reference?.SettledM is { } rs ? $"   {reference.Code} ({rs[0]:F5}, {rs[1]:F5}, {rs[2]:F5})" : ""));
            o.WriteLine($"⟨m⟩ at 1 ns  = ({r.Final.Mx:F5}, {r.Final.My:F5}, {r.Final.Mz:F5})" +
                (reference is null ? "" : $"   {reference.Code} ({reference.FinalM[0]:F5}, {reference.FinalM[1]:F5}, {reference.FinalM[2]:F5})"));
            o.WriteLine($"first ⟨mx⟩ = 0 at {summary.FirstMxZeroCrossingNs:F4} ns");
            if (reference is null)
                o.WriteLine("no published solution on this mesh (mumax3: 128 × 32, the default; magnum.np: --cell-nm 5, field 1).");
            else
                o.WriteLine($"largest |Δm| from {reference.Code} over its {reference.Samples} samples: {reference.LargestDeviation:E2} at {reference.LargestDeviationAtNs:F2} ns" +
                    $" ({reference.Code} ran with γ {reference.GammaMPerAS:G9} m/(A·s); {reference.Source})");
        });
        return summary;
    }

    private static Sp4Reference Compare(StandardProblem4.Reference published, IReadOnlyList<StandardProblem4.Sample> trajectory)
    {
        (double deviation, double atS) = published.LargestDeviation(trajectory);
        StandardProblem4.Sample last = published.Samples[^1];
        return new Sp4Reference(published.Code, published.Source, published.GyromagneticRatioMPerAS,
            published.Settled is { } s ? [s.X, s.Y, s.Z] : null, [last.Mx, last.My, last.Mz], published.Samples.Count, deviation, atS * 1e9);
    }

    /// <summary>The `device mm run --problem sp3` JSON: energies in Km·L³, lengths in l_ex.</summary>
    public sealed record Sp3Summary(string Problem, string Backend, int CellsPerEdge, double? CrossingLex, double ReferenceCrossingLex, double WallSeconds,
        string Reference, string[] Warnings, IReadOnlyList<StandardProblem3.Point> Points);

    private static Sp3Summary Sp3(CliContext ctx, int cells, int threads)
    {
        double[] lengths = [8.0, 8.2, 8.4, 8.6, 8.8, 9.0];
        var r = ctx.WithProgress("sp3", p => StandardProblem3.Run(lengths, cells, threads, p));
        Warn(ctx, r.Warnings);
        var summary = new Sp3Summary("sp3", r.Backend, r.CellsPerEdge, r.CrossingLex, StandardProblem3.ReferenceCrossingLex, r.WallSeconds,
            "Rave, Fabian & Hubert, J. Magn. Magn. Mater. 190, 332 (1998): 8.47 l_ex", [.. r.Warnings], r.Points);
        ctx.Emit(summary, o =>
        {
            o.WriteLine($"µMAG standard problem 3, {r.CellsPerEdge}³ cells, {r.Backend} ({r.WallSeconds:F0} s): energy / (Km L³)");
            foreach (var p in r.Points)
                o.WriteLine($"  L = {p.LengthLex:F2} l_ex   flower {p.Flower.EnergyPerKmVolume:F5}   vortex {p.Vortex.EnergyPerKmVolume:F5}");
            o.WriteLine(r.CrossingLex is { } x ? $"flower and vortex cross at {x:F3} l_ex; reference {StandardProblem3.ReferenceCrossingLex} l_ex" : "no crossing within the lengths run");
        });
        return summary;
    }

    /// <summary>The `device mm run --problem dmi-chain` JSON.</summary>
    public sealed record DmiChainSummary(string Problem, string Backend, double CellNm, int RelaxSteps, bool Converged, double EdgeMx, double EdgeMz,
        double Mumax3LargestDeviation, double Mumax3LargestDeviationAtNm, double WallSeconds, string Reference, string[] Warnings, double[][] ProfileXNmMxMyMz);

    private static DmiChainSummary DmiChain(CliContext ctx, int threads)
    {
        var r = DmiChainProblem.Run(threads);
        Warn(ctx, r.Warnings);
        var edge = r.Profile[^1];
        var summary = new DmiChainSummary("dmi-chain", r.Backend, DmiChainProblem.CellM * 1e9, r.Iterations, r.Converged, edge.Mx, edge.Mz,
            r.Mumax3Deviation, r.Mumax3DeviationAtM * 1e9, r.WallSeconds,
            "Cortés-Ortuño et al., New J. Phys. 20, 113015 (2018), 1-D problem: its supplement's mumax3 profile on the same 100 cells", [.. r.Warnings],
            [.. r.Profile.Select(p => new[] { p.XM * 1e9, p.Mx, p.My, p.Mz })]);
        ctx.Emit(summary, o =>
        {
            o.WriteLine($"DMI standard problem (1-D chain), 100 cells of 1 nm, {r.Backend}: m at the last cell ({edge.Mx:F5}, {edge.My:F5}, {edge.Mz:F5}), mumax3's m_z {DmiChainProblem.Mumax3HalfMz[^1]:F5}");
            o.WriteLine($"profile beside mumax3's: largest |Δm_z| {r.Mumax3Deviation:E2} at {summary.Mumax3LargestDeviationAtNm:F1} nm from the middle");
            o.WriteLine($"relaxed in {r.Iterations} steps (converged: {r.Converged}), {r.WallSeconds:F1} s");
        });
        return summary;
    }

    /// <summary>The `device mm run --problem dmi-disk` JSON.</summary>
    public sealed record DmiDiskSummary(string Problem, string Backend, double CellNm, double RadiusNm, double ReferenceRadiusNm, int RelaxSteps, bool Converged, double EnergyJ,
        double? Mumax3ProfileLargestDeviation, double? Mumax3ProfileLargestDeviationAtNm, double WallSeconds, string Reference, string[] Warnings, double[][] ProfileRNmMz);

    private static DmiDiskSummary DmiDisk(CliContext ctx, double cellNm, int threads)
    {
        var r = DmiDiskProblem.Run((cellNm > 0 ? cellNm : 2) * 1e-9, threads);
        Warn(ctx, r.Warnings);
        var summary = new DmiDiskSummary("dmi-disk", r.Backend, r.CellM * 1e9, r.RadiusM * 1e9, r.ReferenceRadiusM * 1e9, r.RelaxSteps, r.Converged, r.EnergyJ,
            r.Mumax3Deviation?.Mz, r.Mumax3Deviation?.AtM * 1e9, r.WallSeconds,
            "Cortés-Ortuño et al., New J. Phys. 20, 113015 (2018): ODE profile, m_z = 0 at 22.03 nm; on 2 nm cells its supplement's mumax3 profile", [.. r.Warnings],
            [.. r.Profile.Select(p => new[] { p.RadiusM * 1e9, p.Mz })]);
        ctx.Emit(summary, o =>
        {
            o.WriteLine($"DMI standard problem (2-D disk), {summary.CellNm:F2} nm cells, {r.Backend}: skyrmion radius {summary.RadiusNm:F2} nm, reference {summary.ReferenceRadiusNm:F2} nm");
            o.WriteLine($"relaxed in {r.RelaxSteps} steps (converged: {r.Converged}), {r.WallSeconds:F1} s");
            if (r.Mumax3Deviation is { } d)
                o.WriteLine($"profile beside mumax3's on the same 2 nm cells: largest |Δm_z| {d.Mz:E2} at {d.AtM * 1e9:F0} nm from the centre");
        });
        return summary;
    }
}
