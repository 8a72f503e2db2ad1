using EdgeSkyrmion.Cli;
using System.CommandLine;
using System.Diagnostics;
using EdgeSkyrmion.DeviceModel.Micromagnetics;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>
/// `device mm bench`: cell-steps per second of the RK45 step with demag, the speed figure, on either path
/// (on the ILGPU path demag stays on the C# FFT and every torque evaluation copies m and the torque across), and how one
/// torque evaluation splits between demag and the rest (local terms, torque, copies): demag timed alone, the rest by difference.
/// </summary>
public static class MicromagneticsBench
{
    /// <summary>The `device mm bench` JSON.</summary>
    public sealed record Summary(string Backend, string Fft, int Nx, int Ny, int Nz, int Threads, int Steps, double WallSeconds, double CellStepsPerSecond,
        double TorqueEvaluationsPerSecond, long AllocatedBytesPerStep, double TorqueEvaluationMs, double DemagMs, double LocalMs, double DemagFraction);

    /// <summary>Untimed steps first: the JIT compiles the hot loops to their final tier within about fifty torque evaluations.</summary>
    private const int WarmUpSteps = 10;

    public static Command Build(Option<int> threads)
    {
        var nx = new Option<int>("--nx") { Description = "Cells along x.", DefaultValueFactory = _ => 256 };
        var ny = new Option<int>("--ny") { Description = "Cells along y.", DefaultValueFactory = _ => 256 };
        var steps = new Option<int>("--steps") { Description = "Timed RK45 steps (after " + WarmUpSteps + " warm-up steps).", DefaultValueFactory = _ => 5 };
        var backend = new Option<string>("--backend") { Description = "csharp (default), ilgpu (GPU where present) or ilgpu-cpu.", DefaultValueFactory = _ => "csharp" };
        Command command = CliCommand.Create("bench",
            "Time RK45 (Dormand–Prince) steps of the paper's film (2 × 2 × 1 nm cells) with every term incl. demag. " +
            "Example: device mm bench --nx 256 --ny 256 --steps 5 --json",
            (parse, ctx, _) =>
            {
                using IDisposable fft = MicromagneticsCommands.UseFft(parse);
                int x = parse.GetValue(nx), y = parse.GetValue(ny), n = parse.GetValue(steps), workers = parse.GetValue(threads);
                if (x < 1 || y < 1 || n < 1) throw new ArgumentException("--nx, --ny and --steps must be ≥ 1.");
                using var magnet = new Magnet(Geometry.Filled(new Mesh(x, y, 1, 2e-9, 2e-9, 1e-9)), new MagnetMaterial(), threads: workers);
                magnet.Zeeman.FieldT = (0, 0, 0.08);
                magnet.Set((px, py, _) => (Math.Sin(px * 1e8), Math.Cos(py * 1e8), 1));
                switch (parse.GetValue(backend))
                {
                    case "csharp": break;
                    case "ilgpu": magnet.UseIlgpu(cpuOnly: false); break;
                    case "ilgpu-cpu": magnet.UseIlgpu(cpuOnly: true); break;
                    case var other: throw new ArgumentException($"unknown backend '{other}': use csharp, ilgpu or ilgpu-cpu.");
                }
                var rk = new DormandPrince(magnet) { TimeStepS = 1e-13 };
                MicromagneticsCommands.Guard(() => { for (int i = 0; i < WarmUpSteps; i++) rk.Step(); return 0; });
                long attempts = rk.AcceptedSteps + rk.RejectedSteps;
                Func<int> timedSteps = () => { for (int i = 0; i < n; i++) rk.Step(); return 0; };
                var clock = new Stopwatch();
                long allocated = GC.GetTotalAllocatedBytes(precise: true);
                clock.Start();
                MicromagneticsCommands.Guard(timedSteps);
                double seconds = clock.Elapsed.TotalSeconds;
                long perStep = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / n;
                long timed = rk.AcceptedSteps + rk.RejectedSteps - attempts;
                (double torqueMs, double demagMs) = Split(magnet, 6 * n);
                var summary = new Summary(magnet.Backend, DemagProvider.Current, x, y, 1, magnet.Pool.Workers, n, seconds, (double)x * y * timed / seconds, 6.0 * timed / seconds, perStep,
                    torqueMs, demagMs, torqueMs - demagMs, demagMs / torqueMs);
                ctx.Emit(summary, o => o.WriteLine($"{summary.Backend} (demag on {summary.Fft}'s FFT), {x} × {y} × 1 cells, {summary.Threads} threads: {summary.CellStepsPerSecond:E3} cell-steps/s " +
                    $"({seconds / n * 1e3:F1} ms per RK45 step, {summary.TorqueEvaluationsPerSecond:F1} torque evaluations/s, {perStep} B allocated per step); " +
                    $"one torque evaluation {torqueMs:F1} ms = demag {demagMs:F1} ms ({100 * summary.DemagFraction:F0} %) + local terms and torque {summary.LocalMs:F1} ms"));
                return Task.CompletedTask;
            });
        foreach (Option option in (Option[])[nx, ny, steps, backend, threads, MicromagneticsCommands.Fft]) command.Options.Add(option);
        return command;
    }

    /// <summary>Mean time of one torque evaluation and of the demag field alone over <paramref name="evaluations"/> calls each, ms.</summary>
    private static (double TorqueMs, double DemagMs) Split(Magnet magnet, int evaluations)
    {
        var dmdt = new VectorField(magnet.Mesh.Count);
        var field = new VectorField(magnet.Mesh.Count);
        IFieldTerm demag = magnet.Demag!;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < evaluations; i++) magnet.Torque(magnet.M, 0, dmdt);
        double torque = clock.Elapsed.TotalMilliseconds / evaluations;
        clock.Restart();
        for (int i = 0; i < evaluations; i++) demag.AddField(magnet.M, 0, field);
        return (torque, clock.Elapsed.TotalMilliseconds / evaluations);
    }
}
