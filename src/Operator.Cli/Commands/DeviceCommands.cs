using EdgeSkyrmion.Cli;
using EdgeSkyrmion.DeviceModel.Energy;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EdgeSkyrmion.Cloud.Reports;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.DeviceModel.Physics;
using EdgeSkyrmion.DeviceModel.Protocol;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>
/// `device characterize | curve | sweep-mml | sweep-interspace | bench | inspect`: the particle model of the skyrmion
/// synapse run through the paper's protocol, producing state tables, modulation curves and the Fig. 4b/5c sweeps.
/// </summary>
public static class DeviceCommands
{
    private sealed class Design
    {
        public readonly Option<int> Mml = new("--mml") { Description = "Multilayer repeat count n (calibrated: 1, 2, 4, 6, 8).", DefaultValueFactory = _ => 4 };
        public readonly Option<double> Temperature = new("--temperature") { Description = "Temperature, K.", DefaultValueFactory = _ => 300 };
        public readonly Option<double> Interspace = new("--interspace") { Description = "Barrier-to-edge interspace, skyrmion diameters.", DefaultValueFactory = _ => 1.5 };
        public readonly Option<int> Devices;
        public readonly Option<ulong> Seed = new("--seed") { Description = "RNG seed (results for a seed do not depend on thread count).", DefaultValueFactory = _ => 1UL };
        public readonly Option<string> Backend = new("--backend") { Description = "csharp (default), ilgpu (GPU where present) or ilgpu-cpu.", DefaultValueFactory = _ => "csharp" };
        public readonly Option<int> Threads = new("--threads") { Description = "Worker threads of the C# path (-1: all cores).", DefaultValueFactory = _ => -1 };
        public readonly Option<string> Params = new("--params") { Description = "Particle parameter set: tuned (the shipped presets'), derived (micromagnetics), derived-mesh-sot (the same with the torque over the stack's 3n nm, as mumax3 by default), or a parameter file.", DefaultValueFactory = _ => ParticleParameterSet.DefaultName };

        public Design(int defaultDevices) =>
            Devices = new Option<int>("--devices") { Description = "Independent devices simulated.", DefaultValueFactory = _ => defaultDevices };

        public void AddTo(Command command, bool design = true, bool backend = true)
        {
            if (design)
            {
                command.Options.Add(Mml);
                command.Options.Add(Temperature);
                command.Options.Add(Interspace);
            }
            command.Options.Add(Params);
            command.Options.Add(Devices);
            command.Options.Add(Seed);
            if (backend) command.Options.Add(Backend);
            command.Options.Add(Threads);
        }

        public DeviceConfiguration Configuration(ParseResult parse, int? mml = null, double? interspace = null) => new DeviceConfiguration
        {
            MultilayerRepeats = mml ?? parse.GetValue(Mml),
            TemperatureK = parse.GetValue(Temperature),
            InterspaceDskr = interspace ?? parse.GetValue(Interspace),
            ParameterSet = ParameterSet(parse),
        }.Validated();

        public ParticleParameterSet ParameterSet(ParseResult parse) => ParticleParameterSet.Get(parse.GetValue(Params)!);

        public int DeviceCount(ParseResult parse)
        {
            int devices = parse.GetValue(Devices);
            return devices >= 1 ? devices : throw new ArgumentException($"--devices must be ≥ 1 (got {devices}).");
        }

        public IParticleBackend CreateBackend(ParseResult parse) => parse.GetValue(Backend) switch
        {
            "csharp" => new CpuParticleBackend(parse.GetValue(Threads)),
            "ilgpu" => new IlgpuParticleBackend(cpuOnly: false),
            "ilgpu-cpu" => new IlgpuParticleBackend(cpuOnly: true),
            var other => throw new ArgumentException($"unknown backend '{other}': use csharp, ilgpu or ilgpu-cpu."),
        };
    }

    public static Command Build()
    {
        var device = new Command("device", "The skyrmion synapse's particle model: characterize presets, curves, sweeps, benchmark.");
        device.Subcommands.Add(Characterize());
        device.Subcommands.Add(Curve());
        device.Subcommands.Add(SweepMml());
        device.Subcommands.Add(SweepInterspace());
        device.Subcommands.Add(Bench());
        device.Subcommands.Add(Agree());
        device.Subcommands.Add(Inspect());
        device.Subcommands.Add(RetentionCommand.Build());
        device.Subcommands.Add(DriftPhysicsCommand.Build());
        MicromagneticsCommands.AddTo(device);
        return device;
    }

    private static Command Characterize()
    {
        var design = new Design(48);
        var output = new Option<string?>("--out") { Description = "Write the state table (versioned JSON) here." };
        Command command = CliCommand.Create("characterize",
            "Run the paper's protocol on the particle model and build the state table. " +
            "Example: device characterize --mml 4 --temperature 300 --devices 48 --out mml4-300K.json --json",
            (parse, ctx, _) =>
            {
                DeviceConfiguration configuration = design.Configuration(parse);
                int devices = design.DeviceCount(parse);
                ulong seed = parse.GetValue(design.Seed);
                string? path = parse.GetValue(output);
                using IParticleBackend backend = design.CreateBackend(parse);
                string source = $"edgeskyrmion device characterize --mml {configuration.MultilayerRepeats} --temperature {Invariant(configuration.TemperatureK)} " +
                    $"--interspace {Invariant(configuration.InterspaceDskr)} --devices {devices} --seed {seed} --params {configuration.ParameterSet.Name} " +
                    $"(particle model, backend {backend.Name}, {DateTime.UtcNow:yyyy-MM-dd})";
                Characterizer.Result result = ctx.WithProgress("characterize", p => Characterizer.Run(configuration, new PulseProtocol(), devices, seed, backend, source, p));
                if (path is not null)
                {
                    StateTable table = result.Table ?? throw new ArgumentException("fewer than two distinguishable states: no state table can be written.");
                    table.Save(path);
                }
                var summary = Summarize(configuration, devices, seed, backend.Name, result, path);
                ctx.Emit(summary, o =>
                {
                    o.WriteLine($"n = {summary.MultilayerRepeats}, {summary.TemperatureK} K, interspace {summary.InterspaceDskr} D_skr, R = {summary.SkyrmionRadiusNm:F2} nm, {devices} devices, parameters {summary.ParameterSet}");
                    o.WriteLine($"{summary.DistinguishableStates} distinguishable states, {summary.GMinG0:F3}–{summary.GMaxG0:F3} G0 (weight range {summary.WeightRangeG0:F3} G0, " +
                        $"{summary.HeldWeightRangeG0:F3} G0 held through equilibration; {summary.BackCrossingsFromTop:F2} skyrmions per device went back)");
                    o.WriteLine($"one device's ten-pulse LTP staircase resolves {summary.StaircaseStatesMedian} states (median; per device {string.Join(' ', summary.StaircaseStates)})");
                    o.WriteLine($"one device's whole LTP/LTD cycle reaches {summary.CycleStatesMedian} distinguishable states (median; per device {string.Join(' ', summary.CycleStates)})");
                    for (int s = 0; s < summary.StateMeansG0.Length; s++) o.WriteLine($"  state {s}: {summary.StateMeansG0[s]:F4} ± {summary.StateSdsG0[s]:F4} G0");
                    o.WriteLine($"cold-start step probability {summary.ColdStepProbability:F2}, after initialization pulse {summary.InitializedStepProbability:F2}");
                    o.WriteLine($"skyrmions per device: {summary.SkyrmionsPerDevice} nucleated, {summary.SkyrmionsLeftRelaxed:F1} left after relaxing, {summary.SkyrmionsLeftAfterFirstPulse:F1} after the first LTP pulse, " +
                        $"{summary.SkyrmionsLeftAtEnd:F1} at the end (mean; the rest lost at the edges)");
                    o.WriteLine($"energy per pulse {summary.EnergyPerPulseFj:F1} fJ; {summary.WallSeconds:F1} s ({summary.ParticleStepsPerSecond:E2} particle-steps/s)");
                    if (path is not null) o.WriteLine($"state table written to {path}");
                });
                return Task.CompletedTask;
            });
        design.AddTo(command);
        command.Options.Add(output);
        return command;
    }

    /// <summary>The `device characterize` JSON.</summary>
    public sealed record CharacterizeSummary(int MultilayerRepeats, double TemperatureK, double InterspaceDskr, int Devices, ulong Seed, string Backend,
        int DistinguishableStates, int StaircaseStatesMedian, int[] StaircaseStates, int CycleStatesMedian, int[] CycleStates, double GMinG0, double GMaxG0, double WeightRangeG0,
        double HeldWeightRangeG0, double BackCrossingsFromTop, double[] StateMeansG0, double[] StateSdsG0,
        double DeviceToDeviceSdG0, double SkyrmionRadiusNm, double EnergyPerPulseFj, double? ColdStepProbability, double? InitializedStepProbability,
        double WallSeconds, double ParticleStepsPerSecond, string? Out, string ParameterSet, int SkyrmionsPerDevice, double SkyrmionsLeftRelaxed,
        double SkyrmionsLeftAfterFirstPulse, double SkyrmionsLeftAtEnd);

    private static CharacterizeSummary Summarize(DeviceConfiguration c, int devices, ulong seed, string backend, Characterizer.Result r, string? path)
    {
        var protocol = new PulseProtocol();
        double energy = Characterizer.PulseEnergyJ(c, protocol.CurrentDensityAPerM2, protocol.PulseDurationS);
        return new CharacterizeSummary(c.MultilayerRepeats, c.TemperatureK, c.InterspaceDskr, devices, seed, backend,
            r.Levels.MeansG0.Length, StateTableBuilder.Median(r.StaircaseStates), r.StaircaseStates,
            StateTableBuilder.Median(r.CycleStates), r.CycleStates, r.Levels.MeansG0[0], r.Levels.MeansG0[^1], r.WeightRangeG0,
            r.HeldWeightRangeG0, Characterizer.BackCrossingsFromTop(r), r.Levels.MeansG0, r.Levels.SdsG0,
            r.Levels.DeviceToDeviceSdG0, c.Skyrmion.RadiusM * 1e9, Units.Femtojoules(energy), r.Table?.ColdStepProbability, r.Table?.InitializedStepProbability,
            r.WallSeconds, r.ParticleSteps / r.WallSeconds, path, c.ParameterSet.Name, c.SkyrmionCount ?? c.Skyrmion.Count, r.Calibration[0].SkyrmionsLeft.Average(),
            r.Calibration[1].SkyrmionsLeft.Average(), r.InitializedPulse.SkyrmionsLeft.Average());
    }

    private static Command Curve()
    {
        var design = new Design(16);
        var output = new Option<string>("--out") { Description = "Output path without extension (.csv and .png are written).", DefaultValueFactory = _ => "device-curve" };
        var cold = new Option<bool>("--cold") { Description = "Also run the cold start of Fig. 8: after idle, 10 LTP pulses without and with the initialization pulse." };
        Command command = CliCommand.Create("curve",
            "Conductance vs pulse number (paper Figs. 2c/2d, 3e/3f, 5b; with --cold, Fig. 8e) as CSV and PNG with error bars. " +
            "Example: device curve --mml 4 --temperature 300 --out out/fig3f --cold",
            (parse, ctx, _) =>
            {
                DeviceConfiguration configuration = design.Configuration(parse);
                int devices = design.DeviceCount(parse);
                string path = parse.GetValue(output)!;
                bool withCold = parse.GetValue(cold);
                using IParticleBackend backend = design.CreateBackend(parse);
                var protocol = new PulseProtocol();
                var series = ctx.WithProgress("curve", progress => ModulationCurve.Run(configuration, protocol, devices, parse.GetValue(design.Seed), backend, withCold, progress));
                var csv = new CsvTable("series", "pulse", "label", "mean_g0", "read_sd_g0", "device_sd_g0", "skyrmions_in_read_area");
                var chart = new Chart($"n = {configuration.MultilayerRepeats}, {Invariant(configuration.TemperatureK)} K, interspace {Invariant(configuration.InterspaceDskr)} D_skr",
                    "pulse", "conductance (G0)");
                foreach ((string name, IReadOnlyList<ModulationCurve.Point> points) in series)
                {
                    foreach (ModulationCurve.Point p in points) csv.Row(name, p.Pulse, p.Label, p.MeanG0, p.ReadSdG0, p.DeviceSdG0, p.SkyrmionsInReadArea);
                    chart.Add(name, points.Select(p => (double)p.Pulse).ToList(), points.Select(p => p.MeanG0).ToList(), points.Select(p => p.ReadSdG0).ToList());
                }
                csv.Save(path + ".csv");
                chart.SavePng(path + ".png");
                var result = new { Csv = path + ".csv", Png = path + ".png", Series = series.ToDictionary(s => s.Name, s => s.Points.Select(p => p.MeanG0).ToArray()) };
                ctx.Emit(result, o =>
                {
                    foreach ((string name, var points) in series)
                        o.WriteLine($"{name}: {string.Join(' ', points.Select(p => p.MeanG0.ToString("F3", CultureInfo.InvariantCulture)))}");
                    o.WriteLine($"wrote {result.Csv} and {result.Png}");
                });
                return Task.CompletedTask;
            });
        design.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(cold);
        return command;
    }

    private static Command SweepMml()
    {
        var design = new Design(16);
        var output = new Option<string>("--out") { Description = "Output path without extension (.csv, .png, .json).", DefaultValueFactory = _ => "device-sweep-mml" };
        Command command = CliCommand.Create("sweep-mml",
            "Radius, conductance SD and distinguishable states vs repeat count n = 1, 2, 4, 6, 8 (paper Fig. 4b/4c). " +
            "Example: device sweep-mml --temperature 300 --devices 16 --out out/fig4b",
            (parse, ctx, _) =>
            {
                int[] repeats = [.. design.ParameterSet(parse).Repeats.Select(g => g.MultilayerRepeats)];
                List<SweepRow> rows = RunSweep(parse, ctx, design, "sweep-mml", repeats, n => design.Configuration(parse, mml: n));
                WriteSweep(parse.GetValue(output)!, rows, "n (multilayer repeats)", r => r.MultilayerRepeats, ctx);
                return Task.CompletedTask;
            });
        design.AddTo(command);
        command.Options.Remove(design.Mml);
        command.Options.Add(output);
        return command;
    }

    private static Command SweepInterspace()
    {
        var design = new Design(16);
        var output = new Option<string>("--out") { Description = "Output path without extension (.csv, .png, .json).", DefaultValueFactory = _ => "device-sweep-interspace" };
        Command command = CliCommand.Create("sweep-interspace",
            "Weight range vs barrier interspace 0.7–2.0 D_skr (paper Fig. 5c). Example: device sweep-interspace --mml 4 --devices 16 --out out/fig5c",
            (parse, ctx, _) =>
            {
                double[] interspaces = [0.7, 1.0, 1.2, 1.5, 1.7, 2.0];
                List<SweepRow> rows = RunSweep(parse, ctx, design, "sweep-interspace", interspaces, x => design.Configuration(parse, interspace: x));
                WriteSweep(parse.GetValue(output)!, rows, "interspace (D_skr)", r => r.InterspaceDskr, ctx);
                return Task.CompletedTask;
            });
        design.AddTo(command);
        command.Options.Remove(design.Interspace);
        command.Options.Add(output);
        return command;
    }

    /// <summary>Characterizes one design point per value, in order, with one progress bar over all of them.</summary>
    private static List<SweepRow> RunSweep<T>(ParseResult parse, CliContext ctx, Design design, string name, T[] values, Func<T, DeviceConfiguration> configure)
    {
        int devices = design.DeviceCount(parse);
        using IParticleBackend backend = design.CreateBackend(parse);
        return ctx.WithProgress(name, progress => values.Select((value, k) =>
        {
            DeviceConfiguration c = configure(value);
            Characterizer.Result r = Characterizer.Run(c, new PulseProtocol(), devices, parse.GetValue(design.Seed), backend, name,
                f => progress((k + f) / values.Length));
            return SweepRow.Of(c, r);
        }).ToList());
    }

    /// <summary>One design point of a sweep.</summary>
    public sealed record SweepRow(int MultilayerRepeats, double InterspaceDskr, double SkyrmionRadiusNm, double MeanStateSdG0, int DistinguishableStates,
        int StaircaseStatesMedian, double WeightRangeG0, double HeldWeightRangeG0, double BackCrossingsFromTop)
    {
        public static SweepRow Of(DeviceConfiguration c, Characterizer.Result r) => new(c.MultilayerRepeats, c.InterspaceDskr, c.Skyrmion.RadiusM * 1e9,
            r.Levels.SdsG0.Average(), r.Levels.MeansG0.Length, StateTableBuilder.Median(r.StaircaseStates), r.WeightRangeG0, r.HeldWeightRangeG0,
            Characterizer.BackCrossingsFromTop(r));
    }

    private static void WriteSweep(string path, List<SweepRow> rows, string xLabel, Func<SweepRow, double> x, CliContext ctx)
    {
        var csv = new CsvTable("multilayer_repeats", "interspace_dskr", "skyrmion_radius_nm", "mean_state_sd_g0", "distinguishable_states", "staircase_states_median", "weight_range_g0",
            "held_weight_range_g0", "back_crossings_from_top");
        foreach (SweepRow r in rows)
            csv.Row(r.MultilayerRepeats, r.InterspaceDskr, r.SkyrmionRadiusNm, r.MeanStateSdG0, r.DistinguishableStates, r.StaircaseStatesMedian, r.WeightRangeG0,
                r.HeldWeightRangeG0, r.BackCrossingsFromTop);
        csv.Save(path + ".csv");
        List<double> xs = rows.Select(x).ToList();
        new Chart("skyrmionic synapse sweep", xLabel, "G0 / states / nm")
            .Add("weight range (G0)", xs, rows.Select(r => r.WeightRangeG0).ToList())
            .Add("weight range held through equilibration (G0)", xs, rows.Select(r => r.HeldWeightRangeG0).ToList())
            .Add("mean state SD (G0) × 10", xs, rows.Select(r => r.MeanStateSdG0 * 10).ToList())
            .Add("distinguishable states / 10", xs, rows.Select(r => r.DistinguishableStates / 10.0).ToList())
            .Add("one device's staircase states / 10", xs, rows.Select(r => r.StaircaseStatesMedian / 10.0).ToList())
            .Add("skyrmion radius (nm) / 20", xs, rows.Select(r => r.SkyrmionRadiusNm / 20).ToList())
            .SavePng(path + ".png");
        var result = new { Csv = path + ".csv", Png = path + ".png", Json = path + ".json", Rows = rows };
        string temp = path + ".json.partial";
        File.WriteAllText(temp, System.Text.Json.JsonSerializer.Serialize(result, CliJson.ReflectionOptions()));
        File.Move(temp, path + ".json", overwrite: true);
        ctx.Emit(result, o =>
        {
            o.WriteLine("   n  interspace  R (nm)  mean SD (G0)  states  staircase  range (G0)  held (G0)  back-crossings from top");
            foreach (SweepRow r in rows)
                o.WriteLine($"{r.MultilayerRepeats,4}  {r.InterspaceDskr,10:F2}  {r.SkyrmionRadiusNm,6:F1}  {r.MeanStateSdG0,12:F4}  {r.DistinguishableStates,6}  {r.StaircaseStatesMedian,9}  {r.WeightRangeG0,9:F3}  {r.HeldWeightRangeG0,9:F3}  {r.BackCrossingsFromTop,23:F2}");
            o.WriteLine($"wrote {result.Csv}, {result.Png}, {result.Json}");
        });
    }

    private static Command Bench()
    {
        var design = new Design(1000);
        var steps = new Option<int>("--steps") { Description = "Integration steps to time.", DefaultValueFactory = _ => 100 };
        Command command = CliCommand.Create("bench",
            "Particle-steps per second of one backend on many devices (n = 4, 300 K, 30 MA/cm²). " +
            "Example: device bench --devices 1000 --steps 100 --backend csharp --json",
            (parse, ctx, _) =>
            {
                int devices = design.DeviceCount(parse), count = parse.GetValue(steps);
                if (count < 1) throw new ArgumentException($"--steps must be ≥ 1 (got {count}).");
                DeviceConfiguration c = design.Configuration(parse);
                ParticleParameters p = c.Parameters(parse.GetValue(design.Seed));
                using IParticleBackend backend = design.CreateBackend(parse);
                ParticleSystem system = ParticleSystem.Nucleate(p, devices);
                backend.Advance(system, p, 0, 1);
                var clock = Stopwatch.StartNew();
                backend.Advance(system, p, new PulseProtocol().CurrentDensityAPerM2, count);
                double seconds = clock.Elapsed.TotalSeconds;
                var result = new
                {
                    Backend = backend.Name, Devices = devices, SkyrmionsPerDevice = p.Count, Steps = count, Seconds = seconds,
                    ParticleStepsPerSecond = (double)devices * p.Count * count / seconds, Threads = parse.GetValue(design.Threads),
                };
                ctx.Emit(result, o => o.WriteLine($"{result.Backend}: {result.ParticleStepsPerSecond:E3} particle-steps/s ({devices} devices × {p.Count} skyrmions × {count} steps in {seconds:F2} s)"));
                return Task.CompletedTask;
            });
        design.AddTo(command);
        command.Options.Add(steps);
        return command;
    }

    /// <summary>Largest position or breathing difference `device agree` accepts, m: rounding, far below a skyrmion's radius (≈ 10 nm).</summary>
    private const double AgreementToleranceM = 1e-12;

    private static Command Agree()
    {
        var design = new Design(1000);
        var steps = new Option<int>("--steps") { Description = "Integration steps run on both paths (30 MA/cm² throughout).", DefaultValueFactory = _ => 200 };
        Option<string> backend = IlgpuBackendOption.Create();
        Command command = CliCommand.Create("agree",
            "Advance the same devices on the C# path and on the ILGPU kernel path and compare every skyrmion's position and breathing; " +
            "exit 2 if they differ by more than 1 pm. Example: device agree --devices 1000 --steps 200 --json",
            (parse, ctx, _) =>
            {
                int devices = design.DeviceCount(parse), count = parse.GetValue(steps);
                if (count < 1) throw new ArgumentException($"--steps must be ≥ 1 (got {count}).");
                bool cpuOnly = IlgpuBackendOption.CpuOnly(parse, backend);
                ParticleParameters p = design.Configuration(parse).Parameters(parse.GetValue(design.Seed));
                double current = new PulseProtocol().CurrentDensityAPerM2;
                ParticleSystem start = ParticleSystem.Nucleate(p, devices), csharp = start.Clone(), other = start.Clone();
                var clock = Stopwatch.StartNew();
                using (var cpu = new CpuParticleBackend(parse.GetValue(design.Threads))) cpu.Advance(csharp, p, current, count);
                double csharpSeconds = clock.Elapsed.TotalSeconds;
                using var kernel = new IlgpuParticleBackend(cpuOnly);
                clock.Restart();
                kernel.Advance(other, p, current, count);
                double kernelSeconds = clock.Elapsed.TotalSeconds;
                double position = 0, breathing = 0, moved = 0;
                for (int i = 0; i < csharp.X.Length; i++)
                {
                    position = Math.Max(position, Math.Max(Math.Abs(csharp.X[i] - other.X[i]), Math.Abs(csharp.Y[i] - other.Y[i])));
                    breathing = Math.Max(breathing, Math.Abs(csharp.BreathingM[i] - other.BreathingM[i]));
                    moved = Math.Max(moved, Math.Abs(csharp.X[i] - start.X[i]));
                }
                bool agrees = position <= AgreementToleranceM && breathing <= AgreementToleranceM && csharp.Step == other.Step;
                var result = new
                {
                    Backend = kernel.Name, Devices = devices, SkyrmionsPerDevice = p.Count, Steps = count, MaxPositionDifferenceM = position,
                    MaxBreathingDifferenceM = breathing, LargestMoveM = moved, ToleranceM = AgreementToleranceM, Agrees = agrees,
                    CsharpSeconds = csharpSeconds, BackendSeconds = kernelSeconds,
                };
                ctx.Emit(result, o => o.WriteLine($"{(agrees ? "agree" : "DIFFER")}: csharp and {result.Backend}, {devices} devices × {p.Count} skyrmions × {count} steps " +
                    $"(largest move {moved * 1e9:F1} nm): position {position:E2} m, breathing {breathing:E2} m (≤ {AgreementToleranceM:E0} m); {csharpSeconds:F2} s against {kernelSeconds:F2} s"));
                return Task.FromResult(agrees ? ExitCode.Ok : ExitCode.InternalError);
            });
        design.AddTo(command, backend: false);
        command.Options.Add(steps);
        command.Options.Add(backend);
        return command;
    }

    private static Command Inspect()
    {
        var file = new Argument<string>("preset") { Description = "A shipped preset name (e.g. mml4-300K) or a state-table file." };
        Command command = CliCommand.Create("inspect",
            "Load and validate a state table (a preset name or a file) and print its states. Example: device inspect mml4-300K --json",
            (parse, ctx, _) =>
            {
                StateTable table = Presets.Get(parse.GetValue(file)!);
                ctx.Emit(table, o =>
                {
                    o.WriteLine($"{table.Name}: {table.States} states, {table.StateMeansG0[0]:F3}–{table.StateMeansG0[^1]:F3} G0 ({table.Source})");
                    for (int s = 0; s < table.States; s++) o.WriteLine($"  state {s}: {table.StateMeansG0[s]:F4} ± {table.StateSdsG0[s]:F4} G0");
                });
                return Task.CompletedTask;
            });
        command.Arguments.Add(file);
        return command;
    }

    internal static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
