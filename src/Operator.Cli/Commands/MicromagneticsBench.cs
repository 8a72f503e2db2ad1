using EdgeSkyrmion.Cli;
using System.CommandLine;
using System.Diagnostics;
using EdgeSkyrmion.DeviceModel.Micromagnetics;
using EdgeSkyrmion.DeviceModel.Micromagnetics.Problems;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>
/// `device mm bench`: the issue's speed figure, on either path (on the ILGPU path every torque evaluation copies m and the
/// torque across; demag runs on cuFFT on a CUDA device, else on the host's FFT), and how one torque evaluation splits between demag and the rest
/// (local terms, torque, copies): demag timed alone, the rest by difference. Two films: the paper's (RK45 steps, every
/// term), and mumax3's own benchmark (bench/bench.mx3 in its repository), whose published throughput — cells times torque
/// evaluations a second — this reports in the same measure; where the ILGPU path holds every term on the device (CUDA),
/// that film's Heun keeps m there too (<see cref="IlgpuHeun"/>, integrator "heun-on-device"), as mumax3 does.
/// </summary>
public static class MicromagneticsBench
{
    /// <summary>The `device mm bench` JSON.</summary>
    public sealed record Summary(string Backend, string Fft, string Film, string Integrator, int Nx, int Ny, int Nz, double CellSizeNm, int Threads, int Steps,
        double WallSeconds, double CellStepsPerSecond, double TorqueEvaluationsPerSecond, double CellEvaluationsPerSecond, long AllocatedBytesPerStep,
        double TorqueEvaluationMs, double DemagMs, double LocalMs, double DemagFraction);

    /// <summary>Untimed torque evaluations first: the JIT compiles the hot loops to their final tier within about fifty.</summary>
    private const int WarmUpEvaluations = 60;

    /// <summary>mumax3's benchmark film: 4 nm cubic cells, Permalloy with α = 0.01, 10 mT along y, m along x.</summary>
    private const double Mumax3CellM = 4e-9, Mumax3DampingAlpha = 0.01, Mumax3FieldYT = 0.01;

    /// <summary>
    /// Heun's step on mumax3's film, s: the step its adaptive Heun settles at there (its published benchmark files print
    /// 1.69e-14 s of simulated time per torque evaluation, two evaluations a step). Fixed here, so a step is two evaluations.
    /// </summary>
    private const double Mumax3HeunStepS = 3.39e-14;

    /// <summary>What steps a benchmark film: the integrator's name, torque evaluations per attempted step, a step, attempts so far, and what it holds.</summary>
    private sealed record Stepper(string Integrator, int EvaluationsPerAttempt, Action Step, Func<long> Attempts, IDisposable? Holds = null) : IDisposable
    {
        public void Dispose() => Holds?.Dispose();
    }

    /// <summary>The benchmark films by name: the magnet of n × n cells on so many threads, and what steps it.</summary>
    private static readonly Dictionary<string, (Func<int, int, int, Magnet> Build, Func<Magnet, Stepper> Stepper)> s_films = new()
    {
        ["paper"] = (PaperFilm, Rk45),
        ["mumax3"] = (Mumax3Film, HeunAtMumax3Step),
    };

    public static Command Build(Option<int> threads)
    {
        var nx = new Option<int>("--nx") { Description = "Cells along x.", DefaultValueFactory = _ => 256 };
        var ny = new Option<int>("--ny") { Description = "Cells along y.", DefaultValueFactory = _ => 256 };
        var steps = new Option<int>("--steps") { Description = "Timed steps (after " + WarmUpEvaluations + " untimed torque evaluations).", DefaultValueFactory = _ => 5 };
        var film = new Option<string>("--film")
        {
            Description = "paper (default): the paper's film, 2 × 2 × 1 nm cells, exchange, anisotropy, DMI, demag and 80 mT, RK45 (Dormand–Prince); " +
                "mumax3: mumax3's own benchmark (Permalloy, 4 nm cubic cells, 10 mT along y, Heun), to set beside its published throughput.",
            DefaultValueFactory = _ => "paper",
        };
        Command command = CliCommand.Create("bench",
            "Time steps of a film with demag: the paper's (every term, RK45) or mumax3's benchmark (exchange, demag, Zeeman; Heun); reports cell-steps/s and " +
            "cell-evaluations/s (mumax3's throughput). Example: device mm bench --nx 256 --ny 256 --steps 5 --json",
            (parse, ctx, _) =>
            {
                using IDisposable fft = MicromagneticsCommands.UseFft(parse);
                int x = parse.GetValue(nx), y = parse.GetValue(ny), n = parse.GetValue(steps), workers = parse.GetValue(threads);
                if (x < 1 || y < 1 || n < 1) throw new ArgumentException("--nx, --ny and --steps must be ≥ 1.");
                using IDisposable backend = MicromagneticsCommands.UseBackend(parse);
                string filmName = parse.GetValue(film)!;
                if (!s_films.TryGetValue(filmName, out var chosen))
                    throw new ArgumentException($"unknown --film '{filmName}': use {string.Join(" or ", s_films.Keys)}.");
                using Magnet magnet = chosen.Build(x, y, workers);
                if (magnet.DeviceDemagUnavailable is string why) ctx.Info($"note: {why}");
                using Stepper stepper = chosen.Stepper(magnet);
                int warmUpSteps = (WarmUpEvaluations + stepper.EvaluationsPerAttempt - 1) / stepper.EvaluationsPerAttempt;
                MicromagneticsCommands.Guard(() => { for (int i = 0; i < warmUpSteps; i++) stepper.Step(); return 0; });
                long attempts = stepper.Attempts();
                Func<int> timedSteps = () => { for (int i = 0; i < n; i++) stepper.Step(); return 0; };
                var clock = new Stopwatch();
                long allocated = GC.GetTotalAllocatedBytes(precise: true);
                clock.Start();
                MicromagneticsCommands.Guard(timedSteps);
                double seconds = clock.Elapsed.TotalSeconds;
                long perStep = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / n;
                long evaluations = stepper.EvaluationsPerAttempt * (stepper.Attempts() - attempts);
                (double torqueMs, double demagMs) = Split(magnet, (int)evaluations);
                double cells = (double)x * y, evaluationsPerSecond = evaluations / seconds;
                var summary = new Summary(magnet.Backend, magnet.DemagFft, filmName, stepper.Integrator, x, y, 1, magnet.Mesh.CellXM * 1e9, magnet.Pool.Workers, n,
                    seconds, cells * n / seconds, evaluationsPerSecond, cells * evaluationsPerSecond, perStep, torqueMs, demagMs, torqueMs - demagMs, demagMs / torqueMs);
                ctx.Emit(summary, o => o.WriteLine($"{summary.Backend} (demag on {summary.Fft}'s FFT), {summary.Film} film, {x} × {y} × 1 cells of {summary.CellSizeNm:G3} nm, " +
                    $"{summary.Threads} threads, {summary.Integrator}: {summary.CellStepsPerSecond:E3} cell-steps/s, {summary.CellEvaluationsPerSecond:E3} cell-evaluations/s " +
                    $"({seconds / n * 1e3:F1} ms a step, {summary.TorqueEvaluationsPerSecond:F1} torque evaluations/s, {perStep} B allocated a step); " +
                    $"one torque evaluation {torqueMs:F1} ms = demag {demagMs:F1} ms ({100 * summary.DemagFraction:F0} %) + local terms and torque {summary.LocalMs:F1} ms"));
                return Task.CompletedTask;
            });
        foreach (Option option in (Option[])[nx, ny, steps, film, MicromagneticsCommands.Backend, threads, MicromagneticsCommands.Fft]) command.Options.Add(option);
        return command;
    }

    private static Magnet PaperFilm(int x, int y, int workers)
    {
        var magnet = new Magnet(Geometry.Filled(new Mesh(x, y, 1, 2e-9, 2e-9, 1e-9)), new MagnetMaterial(), threads: workers);
        magnet.Zeeman.FieldT = (0, 0, 0.08);
        magnet.Set((px, py, _) => (Math.Sin(px * 1e8), Math.Cos(py * 1e8), 1));
        return magnet;
    }

    private static Magnet Mumax3Film(int x, int y, int workers)
    {
        var mesh = new Mesh(x, y, 1, Mumax3CellM, Mumax3CellM, Mumax3CellM);
        var magnet = new Magnet(Geometry.Filled(mesh), StandardProblem4.Permalloy with { GilbertDamping = Mumax3DampingAlpha }, threads: workers);
        magnet.Zeeman.FieldT = (0, Mumax3FieldYT, 0);
        magnet.SetUniform(1, 0, 0);
        return magnet;
    }

    /// <summary>Dormand–Prince; on the device (m kept there, <see cref="IlgpuDormandPrince"/>) where the magnet has nothing on the host.</summary>
    private static Stepper Rk45(Magnet magnet)
    {
        DormandPrinceStepper rk = DormandPrinceStepper.For(magnet);
        rk.TimeStepS = 1e-13;
        // Dormand–Prince has seven stages; the first reuses the last of the step before (FSAL).
        return new Stepper(rk.Name, 6, () => rk.Step(), () => rk.AcceptedSteps + rk.RejectedSteps, rk);
    }

    /// <summary>Heun at mumax3's step; on the device (m kept there, <see cref="IlgpuHeun"/>) where the magnet has nothing on the host.</summary>
    private static Stepper HeunAtMumax3Step(Magnet magnet)
    {
        HeunStepper heun = HeunStepper.For(magnet, Mumax3HeunStepS);
        return new Stepper(heun.Name, 2, heun.Step, () => heun.Steps, heun);
    }

    /// <summary>Mean time of one torque evaluation and of the demag field alone over <paramref name="evaluations"/> calls each, ms.</summary>
    private static (double TorqueMs, double DemagMs) Split(Magnet magnet, int evaluations)
    {
        var dmdt = new VectorField(magnet.Mesh.Count);
        var field = new VectorField(magnet.Mesh.Count);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < evaluations; i++) magnet.Torque(magnet.M, 0, dmdt);
        double torque = clock.Elapsed.TotalMilliseconds / evaluations;
        clock.Restart();
        for (int i = 0; i < evaluations; i++) magnet.EvaluateDemag(magnet.M, field);
        return (torque, clock.Elapsed.TotalMilliseconds / evaluations);
    }
}
