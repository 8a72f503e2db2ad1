using EdgeSkyrmion.Cli;
using System.CommandLine;
using System.Globalization;
using System.Text;
using EdgeSkyrmion.DeviceModel.Micromagnetics.Device;
using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>
/// `device mm track`: the device itself under micromagnetics — the track with its barrier and read area, a few pulses at
/// 0 K or a given temperature — beside the particle model (tuned and derived sets) for the same pulses from the same skyrmion positions.
/// The wall time is estimated first; over --max-minutes the run is refused (exit 1) before it starts.
/// </summary>
public static class MicromagneticsTrack
{
    /// <summary>One model's run: its snapshots, relaxed state first.</summary>
    public sealed record Series(string Model, IReadOnlyList<TrackSnapshot> Snapshots);

    /// <summary>The `device mm track` JSON.</summary>
    public sealed record Summary(int MultilayerRepeats, double CellNm, int Nx, int Ny, string Medium, TrackSchedule Schedule, ulong Seed, double FieldLikeRatio, string Polarization,
        double EstimatedWallSeconds, double WallSeconds, long AcceptedSteps, long RejectedSteps, string[] Warnings, IReadOnlyList<Series> Models, string Backend, string Fft);

    public static Command Build(Option<int> threads)
    {
        var mml = new Option<int>("--mml") { Description = "Repeat count n (n > 1 runs as one effective-medium layer).", DefaultValueFactory = _ => 4 };
        var cell = new Option<double>("--cell-nm") { Description = "In-plane cell size, nm.", DefaultValueFactory = _ => 4 };
        var pulses = new Option<int>("--pulses") { Description = "LTP pulses.", DefaultValueFactory = _ => 3 };
        var current = new Option<double>("--current-ma-cm2") { Description = "Pulse current density, MA/cm² (paper: 30).", DefaultValueFactory = _ => 30 };
        var pulse = new Option<double>("--pulse-ns") { Description = "Pulse width, ns (paper: 2).", DefaultValueFactory = _ => 2 };
        var gap = new Option<double>("--gap-ns") { Description = "Time without current after each pulse, ns (paper: 5).", DefaultValueFactory = _ => 1 };
        var snapshot = new Option<double>("--snapshot-ns") { Description = "Snapshot interval, ns.", DefaultValueFactory = _ => 0.25 };
        var seed = new Option<ulong>("--seed") { Description = "Nucleation seed of the particle model (where the skyrmions start); above 0 K also the thermal deviates' seed.", DefaultValueFactory = _ => 1 };
        var maxMinutes = new Option<double>("--max-minutes") { Description = "Refuse a run whose estimated wall time exceeds this.", DefaultValueFactory = _ => 60 };
        var estimateOnly = new Option<bool>("--estimate-only") { Description = "Print the wall-time estimate and stop." };
        var layered = new Option<bool>("--layered") { Description = "Simulate the n Co layers themselves (SOT in the outer two) instead of one effective layer: ≈ 8× the cost." };
        var length = new Option<double>("--length-nm") { Description = "Track length simulated, nm: its first stretch only when < 800 (the skyrmions there).", DefaultValueFactory = _ => 800 };
        var temperature = new Option<double>("--temperature") { Description = "Temperature, K: above 0 the micromagnetic run adds the thermal field and steps with Heun (the particle model runs at it too).", DefaultValueFactory = _ => 0 };
        var heunStep = new Option<double>("--heun-step-ps") { Description = "Heun's fixed step above 0 K, ps.", DefaultValueFactory = _ => 0.1 };
        var fieldLike = new Option<double>("--field-like-ratio") { Description = "Field-like SOT as a multiple ξ of the damping-like one (paper: 0, damping-like only); micromagnetics only, the particle model has none.", DefaultValueFactory = _ => 0 };
        var polarization = new Option<string>("--polarization") { Description = "Spin polarization p of the spin current: +y (the paper's), -y, +x or -x.", DefaultValueFactory = _ => "+y" };
        var csv = new Option<string?>("--csv") { Description = "Also write every snapshot's skyrmions as CSV (model, label, t, x, y, r, G)." };
        Command command = CliCommand.Create("track",
            "Micromagnetic run of the device (800 × 220 nm track, barrier, MTJ read area) for a few pulses (0 K, or --temperature) beside the particle model. " +
            "Example: device mm track --mml 4 --cell-nm 4 --pulses 3 --json",
            (parse, ctx, _) =>
            {
                using IDisposable fft = MicromagneticsCommands.UseFft(parse);
                int n = parse.GetValue(mml), workers = parse.GetValue(threads);
                double cellNm = parse.GetValue(cell), limit = parse.GetValue(maxMinutes);
                if (!(cellNm > 0)) throw new ArgumentException($"--cell-nm must be > 0 (got {cellNm}).");
                using IDisposable backend = MicromagneticsCommands.UseBackend(parse);
                var schedule = new TrackSchedule
                {
                    Pulses = parse.GetValue(pulses), CurrentDensityAPerM2 = parse.GetValue(current) * 1e10, PulseS = parse.GetValue(pulse) * 1e-9,
                    GapS = parse.GetValue(gap) * 1e-9, SnapshotS = parse.GetValue(snapshot) * 1e-9,
                    TemperatureK = parse.GetValue(temperature), HeunStepS = parse.GetValue(heunStep) * 1e-12,
                }.Validated();
                ulong s = parse.GetValue(seed);
                (double fieldLikeRatio, string axis) = (parse.GetValue(fieldLike), parse.GetValue(polarization)!);
                var tunedConfiguration = new DeviceConfiguration { MultilayerRepeats = n, ParameterSet = ParticleParameterSet.Tuned };
                using var tuned = new ParticleTrack(tunedConfiguration, s, schedule.TemperatureK);
                TrackSnapshot tunedStart = tuned.Relax();
                (double X, double Y)[] cores = [.. tunedStart.Skyrmions.Select(k => (k.AlongTrackM, k.AcrossTrackM))];
                // The same barrier for the derived set: its gaps are given in its own (larger) skyrmion diameters.
                ParticleParameterSet derivedSet = ParticleParameterSet.Get("derived");
                var derivedConfiguration = tunedConfiguration with
                {
                    ParameterSet = derivedSet,
                    InterspaceDskr = tunedConfiguration.InterspaceDskr * tunedConfiguration.Skyrmion.DiameterM / derivedSet.ForRepeats(n).DiameterM,
                };
                using var derived = new ParticleTrack(derivedConfiguration, s, schedule.TemperatureK);
                TrackSnapshot derivedStart = derived.Relax(cores);

                double lengthM = parse.GetValue(length) * 1e-9;
                using var track = new MicromagneticTrack(n, cellNm * 1e-9, tuned.Parameters, workers, layered: parse.GetValue(layered), lengthM: lengthM,
                    fieldLikeRatio: fieldLikeRatio, polarization: Polarization(axis));
                // A shortened track holds only the skyrmions that start on it (clear of its cut end by a radius).
                double clear = tunedConfiguration.Skyrmion.RadiusM;
                (double X, double Y)[] onTrack = [.. cores.Where(c => c.X < lengthM - clear)];
                MicromagneticsCommands.Warn(ctx, track.Warnings);
                if (track.Magnet.DeviceDemagUnavailable is string why) ctx.Info($"note: {why}");
                double estimate = track.EstimateWallSeconds(schedule);
                ctx.Info($"estimated wall time {estimate / 60:F1} min ({track.Magnet.Mesh.Nx} × {track.Magnet.Mesh.Ny} cells, {schedule.TotalS * 1e9:F1} ns, " +
                    (schedule.TemperatureK > 0 ? $"{schedule.TemperatureK:F0} K, Heun step {schedule.HeunStepS * 1e12:F2} ps)" : $"assumed RK45 step {track.EstimatedStepS * 1e12:F2} ps)"));
                if (estimate > limit * 60)
                    throw new BadInputException($"the run would take ≈ {estimate / 60:F0} min, over --max-minutes {limit}: use larger cells, fewer or shorter pulses, or raise the limit.");
                if (parse.GetValue(estimateOnly)) return Task.CompletedTask;
                var clock = System.Diagnostics.Stopwatch.StartNew();
                TrackSnapshot mmStart = MicromagneticsCommands.Guard(() => track.Relax(onTrack, tunedConfiguration.Skyrmion.RadiusM));
                ctx.Info($"relaxed: {mmStart.Skyrmions.Count} skyrmions, G = {mmStart.ConductanceG0:F3} G0 ({clock.Elapsed.TotalSeconds:F0} s)");
                IReadOnlyList<TrackSnapshot> mm = MicromagneticsCommands.Guard(() => track.Run(schedule, k =>
                    ctx.Info($"{k.Label}: t = {k.TimeS * 1e9:F2} ns, {k.Skyrmions.Count} skyrmions, G = {k.ConductanceG0:F3} G0 ({clock.Elapsed.TotalSeconds:F0} s)"), s));
                double wall = clock.Elapsed.TotalSeconds;
                Series[] models =
                [
                    new("micromagnetics", [mmStart, .. mm]),
                    new("particle-tuned", [tunedStart, .. tuned.Run(schedule)]),
                    new("particle-derived", [derivedStart, .. derived.Run(schedule)]),
                ];
                var summary = new Summary(n, cellNm, track.Magnet.Mesh.Nx, track.Magnet.Mesh.Ny,
                    n == 1 ? "the Co layer (1 nm)" : track.Layered ? $"{n} Co layers of 1 nm at a 3 nm pitch, SOT in the outer two"
                        : $"effective medium, {track.Medium.ThicknessM * 1e9:F0} nm, f = {track.Medium.FillFraction:F3}",
                    schedule, s, fieldLikeRatio, axis, estimate, wall, track.AcceptedSteps, track.RejectedSteps, [.. track.Warnings], models,
                    track.Magnet.Backend, track.Magnet.DemagFft);
                if (parse.GetValue(csv) is string path) File.WriteAllText(path, Csv(models));
                ctx.Emit(summary, o => Print(o, summary));
                return Task.CompletedTask;
            });
        foreach (Option option in (Option[])[mml, cell, pulses, current, pulse, gap, snapshot, seed, maxMinutes, estimateOnly, layered, length, temperature, heunStep, fieldLike, polarization, csv, threads, MicromagneticsCommands.Fft, MicromagneticsCommands.Backend]) command.Options.Add(option);
        return command;
    }

    private static (double X, double Y, double Z) Polarization(string axis) => axis switch
    {
        "+y" or "y" => (0, 1, 0),
        "-y" => (0, -1, 0),
        "+x" or "x" => (1, 0, 0),
        "-x" => (-1, 0, 0),
        _ => throw new ArgumentException($"--polarization must be +y, -y, +x or -x (got \"{axis}\")."),
    };

    private static void Print(TextWriter o, Summary s)
    {
        o.WriteLine($"n = {s.MultilayerRepeats} ({s.Medium}), {s.Nx} × {s.Ny} cells of {s.CellNm} nm, {s.Schedule.Pulses} pulses of " +
            $"{s.Schedule.CurrentDensityAPerM2 / 1e10:F0} MA/cm² × {s.Schedule.PulseS * 1e9:F2} ns, gaps {s.Schedule.GapS * 1e9:F2} ns, {s.Schedule.TemperatureK:F0} K; " +
            $"{s.WallSeconds:F0} s (estimated {s.EstimatedWallSeconds:F0} s), {s.AcceptedSteps} {(s.Schedule.TemperatureK > 0 ? "Heun" : "RK45")} steps");
        o.WriteLine("at the end of        | micromagnetics: count, past barrier, G (G0) | particle tuned      | particle derived");
        IReadOnlyList<TrackSnapshot>[] series = [.. s.Models.Select(m => m.Snapshots)];
        for (int k = 0; k < series[0].Count; k++)
        {
            if (series[0][k].Label.Contains(" at ", StringComparison.Ordinal)) continue;
            o.Write($"{series[0][k].Label,-20}");
            foreach (IReadOnlyList<TrackSnapshot> model in series)
                o.Write($" | {model[k].Skyrmions.Count,3} {model[k].Skyrmions.Count(x => x.AlongTrackM > 400e-9),3} {model[k].ConductanceG0,6:F3}      ");
            o.WriteLine();
        }
    }

    private static string Csv(IEnumerable<Series> models)
    {
        var text = new StringBuilder("model,label,t_ns,skyrmion,x_nm,y_nm,r_nm,conductance_g0\n");
        foreach (Series model in models)
            foreach (TrackSnapshot snapshot in model.Snapshots)
                for (int i = 0; i < snapshot.Skyrmions.Count; i++)
                {
                    TrackSkyrmion k = snapshot.Skyrmions[i];
                    text.Append(CultureInfo.InvariantCulture, $"{model.Model},{snapshot.Label},{snapshot.TimeS * 1e9:F3},{i},{k.AlongTrackM * 1e9:F2},{k.AcrossTrackM * 1e9:F2},{k.RadiusM * 1e9:F2},{snapshot.ConductanceG0:F4}\n");
                }
        return text.ToString();
    }
}
