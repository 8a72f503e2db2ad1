using EdgeSkyrmion.Cli;
using System.CommandLine;
using System.Globalization;
using EdgeSkyrmion.DeviceModel.Micromagnetics;
using EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;
using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>
/// `device derive`: the particle model's inputs measured by micromagnetics on the paper's stack. Today: the isolated
/// skyrmion's radius and energy for each repeat count, at 0 K, written as a versioned parameter file.
/// </summary>
public static class MicromagneticsDerive
{
    public static Command Build(Option<int> threads)
    {
        var mml = new Option<int[]>("--mml") { Description = "Repeat counts n (e.g. --mml 1 2 4 6 8).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [1, 2, 4, 6, 8] };
        var temperature = new Option<double>("--temperature") { Description = "Temperature, K: 0 minimizes (every measurement); above 0 measures the isolated skyrmion's thermal breathing only (Brown's field, Heun).", DefaultValueFactory = _ => 0 };
        var breathingNs = new Option<double>("--breathing-ns") { Description = "Above 0 K: time the radius is sampled (every 10 ps, after 0.2 ns of equilibration), ns.", DefaultValueFactory = _ => 2 };
        var heunStep = new Option<double>("--heun-step-ps") { Description = "Above 0 K: Heun's fixed step, ps.", DefaultValueFactory = _ => 0.05 };
        var cell = new Option<double>("--cell-nm") { Description = "In-plane cell size, nm (paper: 2).", DefaultValueFactory = _ => 2 };
        var box = new Option<double>("--box-nm") { Description = "Side of the square film around the skyrmion, nm.", DefaultValueFactory = _ => 128 };
        var output = new Option<string?>("--out") { Description = "Write the versioned parameter file (JSON) here; with --from, the particle parameter set." };
        var freeLayer = new Option<string>("--sot-free-layer") { Description = "With --from: the thickness the spin–orbit torque divides by: layer (the paper's Eq. 4, the 1 nm Co layer; writes the set 'derived') or mesh (mumax3 with FreeLayerThickness unset, the stack's 3n nm; the set 'derived-mesh-sot', every drive × 1/(3n)).", DefaultValueFactory = _ => "layer" };
        var from = new Option<string[]>("--from") { Description = "Run no micromagnetics: assemble the particle model's parameter set (derived) from these derive files.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
        var drive = new Option<double>("--drive-ma-cm2") { Description = "Also drive the skyrmion of the one n in --mml with the paper's SOT (in its outer two layers for n > 1) at this current density, MA/cm² (paper: 30); 0: skip.", DefaultValueFactory = _ => 0 };
        var interactions = new Option<bool>("--interactions") { Description = "Also measure edge, barrier and skyrmion–skyrmion energy against distance, for each n of --mml." };
        var positions = new Option<double[]>("--positions-nm") { Description = "Core positions for --crossing, nm from the barrier's face (default −56 … 30; fewer for a cell-size convergence check).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [-56, -44, -36, -28, -20, -12, -4, 4, 12, 20, 30] };
        var profileShift = new Option<double>("--profile-shift-nm") { Description = "Move every interaction distance out by this much, nm (larger skyrmions of n > 1 touch later).", DefaultValueFactory = _ => 0 };
        var filmLength = new Option<double>("--film-length-nm") { Description = "Length of the film along each interaction profile, nm (0: 160 for edge and barrier, 192 for pairs; longer keeps the far end's push off the larger skyrmions of n > 1).", DefaultValueFactory = _ => 0 };
        var profilePoints = new Option<int>("--profile-points") { Description = "Points per interaction profile, evenly spread over its distances (0: all 16 / 13; fewer for the costly multilayers).", DefaultValueFactory = _ => 0 };
        var crossing = new Option<string[]>("--crossing") { Description = "Also measure the energy across the barrier for each n of --mml: over (straight across the Ku step), gap (through the gap beside it).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
        var gap = new Option<double>("--gap-nm") { Description = "Gap between barrier and edge for --crossing gap, nm (paper: (220 − 145)/2 = 37.5).", DefaultValueFactory = _ => 37.5 };
        var crossingTorque = new Option<double>("--crossing-torque-t") { Description = "Where each --crossing minimization stops: max |m×B| over cells, T (tighter than the default checks how much of ΔE is the minimizer's).", DefaultValueFactory = _ => PinnedSkyrmions.DefaultTorqueToleranceT };
        var lanes = new Option<double[]>("--lanes-nm") { Description = "Core distances from the film's edge for --crossing, nm, past the gap over the barrier's side if asked: each position is measured on every lane and ΔE takes the cheapest intact lane at each (default: the gap's centre line only).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
        var width = new Option<double>("--width-nm") { Description = "Film width across the track for --crossing, nm.", DefaultValueFactory = _ => 96 };
        var edgeScan = new Option<bool>("--edge-annihilation") { Description = "Also find, for each n of --mml, how close to the film's edge a held core keeps its skyrmion (the particle model's edge-annihilation distance)." };
        var edgeDistances = new Option<double[]>("--edge-distances-nm") { Description = "Core-to-edge distances for --edge-annihilation, nm.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24] };
        Command command = CliCommand.Create("derive",
            "Derive particle-model inputs by micromagnetics on the [Pt/Co/Ir]n stack: the isolated skyrmion's radius per n (paper Fig. 4b). " +
            "Example: device derive --mml 1 2 4 6 8 --out derived-mml.json --json",
            (parse, ctx, _) =>
            {
                using IDisposable fft = MicromagneticsCommands.UseFft(parse);
                using IDisposable backend = MicromagneticsCommands.UseBackend(parse);
                SpinOrbitFreeLayer sotFreeLayer = SpinOrbitFreeLayers.Parse(parse.GetValue(freeLayer)!);
                if (parse.GetValue(from)!.Length > 0) return Assemble(ctx, parse.GetValue(from)!, parse.GetValue(output), sotFreeLayer);
                if (sotFreeLayer != SpinOrbitFreeLayer.MagneticLayer) throw new ArgumentException("--sot-free-layer applies to --from (assembling the particle set); a micromagnetic run takes the torque over the Co layer.");
                int[] repeats = parse.GetValue(mml)!;
                double kelvin = parse.GetValue(temperature), cellNm = parse.GetValue(cell), boxNm = parse.GetValue(box);
                if (kelvin < 0) throw new ArgumentException($"temperature must be ≥ 0 K (got {kelvin} K).");
                if (repeats.Length == 0 || repeats.Any(n => n < 1)) throw new ArgumentException("--mml needs repeat counts ≥ 1.");
                if (kelvin > 0) return Breathing(ctx, repeats, kelvin, cellNm, boxNm, parse.GetValue(breathingNs), parse.GetValue(heunStep), parse.GetValue(output), parse.GetValue(threads),
                    parse.GetValue(interactions) || parse.GetValue(edgeScan) || parse.GetValue(drive) > 0 || parse.GetValue(crossing)!.Length > 0);
                double crossingTorqueT = parse.GetValue(crossingTorque);
                if (!(crossingTorqueT > 0 && crossingTorqueT < 1)) throw new BadInputException($"--crossing-torque-t must be in (0, 1) T (got {crossingTorqueT}).");
                BarrierCrossing.Path[] paths = [.. parse.GetValue(crossing)!.Select(ParsePath)];
                double gapNm = parse.GetValue(gap), widthNm = parse.GetValue(width);
                double[] positionsNm = parse.GetValue(positions)!, lanesNm = parse.GetValue(lanes)!;
                CheckLanes(lanesNm, paths, widthNm);
                bool measureInteractions = parse.GetValue(interactions);
                double filmLengthNm = parse.GetValue(filmLength);
                if (filmLengthNm < 0 || !double.IsFinite(filmLengthNm)) throw new ArgumentException($"--film-length-nm must be ≥ 0 (got {filmLengthNm}).");
                if (measureInteractions)
                    foreach (InteractionProfiles.Kind kind in Enum.GetValues<InteractionProfiles.Kind>()) Profile(kind, parse.GetValue(profilePoints), parse.GetValue(profileShift), filmLengthNm);
                var results = new List<IsolatedSkyrmion.Result>();
                foreach (int n in repeats)
                {
                    ctx.Info($"n = {n}: minimizing an isolated skyrmion ({boxNm:F0} nm box, {cellNm:F1} nm cells)");
                    results.Add(MicromagneticsCommands.Guard(() => IsolatedSkyrmion.Run(n, cellNm * 1e-9, boxNm * 1e-9, parse.GetValue(threads))));
                    MicromagneticsCommands.Warn(ctx, results[^1].Warnings);
                }
                List<DerivedParameters.Interaction>? profiles = measureInteractions ? [.. repeats.SelectMany(n => Interactions(ctx, n, cellNm, parse.GetValue(profilePoints), parse.GetValue(profileShift), filmLengthNm, parse.GetValue(threads)))] : null;
                List<DerivedParameters.Crossing>? crossings = paths.Length == 0 ? null :
                    [.. repeats.SelectMany(n => paths.Select(path => Crossing(ctx, path, n, gapNm, widthNm, cellNm, positionsNm, lanesNm, crossingTorqueT, parse.GetValue(threads))))];
                bool scanEdge = parse.GetValue(edgeScan);
                List<DerivedParameters.EdgeScan>? edgeScans = scanEdge ? [.. repeats.Select(n => EdgeScan(ctx, n, cellNm, parse.GetValue(edgeDistances)!, parse.GetValue(threads)))] : null;
                double driveMaCm2 = parse.GetValue(drive);
                if (driveMaCm2 < 0 || !double.IsFinite(driveMaCm2)) throw new ArgumentException($"--drive-ma-cm2 must be ≥ 0 (got {driveMaCm2}).");
                if (driveMaCm2 > 0 && repeats.Length != 1) throw new BadInputException($"--drive-ma-cm2 drives one repeat count: give --mml one n (got {string.Join(' ', repeats)}).");
                DrivenSkyrmion.Result? driven = null;
                if (driveMaCm2 > 0)
                {
                    ctx.Info($"n = {repeats[0]}: driving the skyrmion at {driveMaCm2} MA/cm² for {DrivenSkyrmion.DriveTimeS * 1e12:F0} ps");
                    driven = MicromagneticsCommands.Guard(() => DrivenSkyrmion.Run(repeats[0], driveMaCm2 * 1e10, cellNm * 1e-9, boxNm * 1e-9, parse.GetValue(threads)));
                }
                string source = FormattableString.Invariant($"edgeskyrmion device derive --mml {string.Join(' ', repeats)} --cell-nm {cellNm} --box-nm {boxNm}") +
                    (measureInteractions ? FormattableString.Invariant($" --interactions --profile-points {parse.GetValue(profilePoints)} --profile-shift-nm {parse.GetValue(profileShift)} --film-length-nm {filmLengthNm}") : "") +
                    (scanEdge ? FormattableString.Invariant($" --edge-annihilation --edge-distances-nm {string.Join(' ', parse.GetValue(edgeDistances)!)}") : "") +
                    (paths.Length > 0 ? FormattableString.Invariant($" --crossing {string.Join(' ', paths.Select(p => p.ToString().ToLowerInvariant()))} --gap-nm {gapNm} --width-nm {widthNm}") +
                        FormattableString.Invariant($" --positions-nm {string.Join(' ', positionsNm)}") +
                        (lanesNm.Length > 0 ? FormattableString.Invariant($" --lanes-nm {string.Join(' ', lanesNm)}") : "") +
                        (crossingTorqueT != PinnedSkyrmions.DefaultTorqueToleranceT ? FormattableString.Invariant($" --crossing-torque-t {crossingTorqueT}") : "") : "") + (driveMaCm2 > 0 ? FormattableString.Invariant($" --drive-ma-cm2 {driveMaCm2}") : "") +
                    $" --fft {DemagProvider.Current} --backend {TorqueBackends.Current} (micromagnetics, {DateTime.UtcNow:yyyy-MM-dd})";
                var parameters = new DerivedParameters(DerivedParameters.CurrentVersion, source, IsolatedSkyrmion.FieldT, cellNm * 1e-9, boxNm * 1e-9,
                    [.. results.Select(r => new DerivedParameters.Skyrmion(r.MultilayerRepeats, r.RadiusM * 1e9, [.. r.RadiusByLayerM.Select(x => x * 1e9)],
                        r.EnergyAboveUniformJ, r.TopologicalCharge, r.DissipationFactor, r.ThieleHallAngleDeg, r.Converged))],
                    profiles, driven is null ? null : new DerivedParameters.Drive(driven.CurrentDensityAPerM2, driven.VelocityXMPerS, driven.VelocityYMPerS,
                        driven.SpeedMPerS, driven.AngleFromXDeg, driven.MultilayerRepeats),
                    DerivedParameters.Pending(measureInteractions, driven is not null, crossings is not null, scanEdge), crossings, edgeScans);
                string? path = parse.GetValue(output);
                if (path is not null) parameters.Save(path);
                ctx.Emit(new { Parameters = parameters, WallSeconds = results.Select(r => r.WallSeconds).ToArray(), Out = path }, o =>
                {
                    foreach (var r in results)
                        o.WriteLine($"n = {r.MultilayerRepeats}: R = {r.RadiusM * 1e9:F2} nm (layers {string.Join(' ', r.RadiusByLayerM.Select(x => (x * 1e9).ToString("F2", CultureInfo.InvariantCulture)))}), " +
                            $"E − E_uniform = {r.EnergyAboveUniformJ:E3} J, Q = {r.TopologicalCharge:F3}, 𝒟 = {r.DissipationFactor:F3}, Thiele Hall angle {r.ThieleHallAngleDeg:F1}°, " +
                            $"converged {r.Converged} ({r.Iterations} iterations, {r.WallSeconds:F1} s)");
                    foreach (var p in profiles ?? [])
                        o.WriteLine($"{p.Kind}: decay length {p.DecayLengthNm:F2} nm, amplitude {p.AmplitudePn:F2} pN at {p.ForceDistanceNm.FirstOrDefault():F0} nm");
                    foreach (var e in edgeScans ?? [])
                        o.WriteLine($"edge, n = {e.MultilayerRepeats}: annihilated within {(e.AnnihilationDistanceNm is double a ? a.ToString("F1", CultureInfo.InvariantCulture) + " nm" : "(not bracketed by the scan)")} of the edge; " +
                            string.Join(", ", e.DistanceNm.Select((d, i) => FormattableString.Invariant($"{d:F0} nm: R {(e.RadiusNm[i] is double r ? r.ToString("F1", CultureInfo.InvariantCulture) + " nm" : "—")}{(e.Opened[i] ? " opened" : "")}"))));
                    foreach (var c in crossings ?? [])
                        o.WriteLine($"crossing {c.Path}, n = {c.MultilayerRepeats}: ΔE = {c.BarrierJ:E3} J ({c.BarrierKbtAt300K:F1} k_BT at 300 K) at {c.BarrierPositionNm:F0} nm from the face, lane {c.BarrierLaneNm:F1} nm; " +
                            string.Join(", ", c.PositionNm.Select((s, i) => FormattableString.Invariant($"({s:F0}, {c.LaneNm![i]:F1}): {c.EnergyJ[i] / KbtAt300KJ:F1}"))) + " k_BT");
                    if (driven is not null)
                        o.WriteLine($"n = {driven.MultilayerRepeats} driven at {driveMaCm2} MA/cm²: v = ({driven.VelocityXMPerS:F1}, {driven.VelocityYMPerS:F1}) m/s, {driven.SpeedMPerS:F1} m/s at {driven.AngleFromXDeg:F1}° from +x " +
                            $"(R {driven.RadiusBeforeM * 1e9:F2} → {driven.RadiusAfterM * 1e9:F2} nm, {driven.Steps} steps, {driven.WallSeconds:F1} s)");
                    if (path is not null) o.WriteLine($"parameters written to {path}");
                });
                return Task.CompletedTask;
            });
        foreach (Option option in (Option[])[mml, temperature, breathingNs, heunStep, cell, box, output, from, freeLayer, interactions, profilePoints, profileShift, filmLength, crossing, positions, gap, lanes, width, crossingTorque, edgeScan, edgeDistances, drive, threads, MicromagneticsCommands.Fft, MicromagneticsCommands.Backend]) command.Options.Add(option);
        return command;
    }

    /// <summary>`--from`: the particle parameter set from derive files (<see cref="ParticleParameterDerivation"/>).</summary>
    private static Task Assemble(CliContext ctx, string[] files, string? path, SpinOrbitFreeLayer freeLayer)
    {
        var parsed = new List<DerivedParameters>();
        foreach (string file in files)
        {
            if (!File.Exists(file)) throw new BadInputException($"--from: no file {file}.");
            parsed.Add(DerivedParameters.Load(file));
        }
        ParticleParameterSet set = ParticleParameterDerivation.Assemble(parsed, [.. files.Select(Path.GetFileName).OfType<string>()], ParticleParameterSet.Tuned, out var drives, freeLayer);
        if (path is not null) set.Save(path);
        ctx.Emit(new { Parameters = set, Drives = drives, Out = path }, o =>
        {
            foreach (var drive in drives)
                o.WriteLine(FormattableString.Invariant($"drive factor κ = {drive.Factor:F3} (n = {drive.MultilayerRepeats}: {drive.ForceN * 1e12:F2} pN measured, thin-wall formula {drive.ThinWallForceN * 1e12:F2} pN)"));
            foreach (SkyrmionParameters r in set.Repeats)
                o.WriteLine(FormattableString.Invariant($"n = {r.MultilayerRepeats}: R {r.RadiusM * 1e9:F2} nm, |Q| {r.TopologicalCharge:F3}, 𝒟 {r.DissipationFactor:F3}, drive {r.DriveNPerAPerM2 * 3e11 * 1e12:F2} pN at 30 MA/cm², ") +
                    FormattableString.Invariant($"pair {r.PairStrengthN * 1e12:F2} pN·K₁(r/{r.PairRangeM * 1e9:F1} nm), edge {r.EdgeStrengthN * 1e12:F2} pN / {r.EdgeRangeM * 1e9:F1} nm, ") +
                    FormattableString.Invariant($"barrier {r.BarrierStrengthN * 1e12:F2} pN / {r.BarrierRangeM * 1e9:F1} nm, crossing ΔE {(r.CrossingBarrierJ is double e ? (e / KbtAt300KJ).ToString("F1", CultureInfo.InvariantCulture) + " k_BT(300 K)" : "not measured")}, ") +
                    $"lost at an edge within {(r.EdgeAnnihilationDistanceM is double a ? (a * 1e9).ToString("F1", CultureInfo.InvariantCulture) + " nm" : "— (never)")}");
            if (path is not null) o.WriteLine($"particle parameter set written to {path}");
        });
        return Task.CompletedTask;
    }

    /// <summary>A progress line on stderr as each of <paramref name="total"/> points of a scan is measured: fine meshes take minutes a point.</summary>
    private static Action<T> PointDone<T>(CliContext ctx, int total, Func<T, string> describe)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int done = 0;
        return point => ctx.Info(FormattableString.Invariant($"  {++done}/{total} {describe(point)} ({clock.Elapsed.TotalSeconds:F0} s)"));
    }

    private const double KbtAt300KJ = EdgeSkyrmion.DeviceModel.Physics.PhysicalConstants.BoltzmannJPerK * 300;

    private static BarrierCrossing.Path ParsePath(string name) => name.ToLowerInvariant() switch
    {
        "over" => BarrierCrossing.Path.Over,
        "gap" => BarrierCrossing.Path.Gap,
        _ => throw new BadInputException($"--crossing takes over or gap (got '{name}')."),
    };

    /// <summary>Lanes are checked before any minimization: a wrong one would otherwise surface after the isolated skyrmion's minutes.</summary>
    private static void CheckLanes(double[] lanesNm, BarrierCrossing.Path[] paths, double widthNm)
    {
        if (lanesNm.Length == 0) return;
        if (paths.Length == 0) throw new BadInputException("--lanes-nm applies to --crossing: give --crossing gap or over.");
        if (lanesNm.Any(y => !(y > 0 && y < widthNm)))
            throw new BadInputException(FormattableString.Invariant($"--lanes-nm must lie inside the film, between 0 and {widthNm} nm from the edge (got {string.Join(' ', lanesNm)})."));
    }

    /// <summary>By default from 70 nm in front of the face to the barrier's middle (30 nm in), densest where the wall meets the step.</summary>
    private static DerivedParameters.Crossing Crossing(CliContext ctx, BarrierCrossing.Path path, int n, double gapNm, double widthNm, double cellNm, double[] positionsNm, double[] lanesNm, double torqueToleranceT, int threads)
    {
        double[] positionsM = [.. positionsNm.Select(s => s * 1e-9)];
        IReadOnlyList<double>? lanesM = lanesNm.Length > 0 ? [.. lanesNm.Select(y => y * 1e-9)] : null;
        (double[] planned, double[] plannedLanes) = BarrierCrossing.Plan(path, positionsM, gapNm * 1e-9, widthNm * 1e-9, cellNm * 1e-9, lanesM);
        int points = planned.Length * plannedLanes.Length;
        ctx.Info($"crossing {path}, n = {n}: {points + 1} minimizations with the core pinned (the reference first)");
        var r = MicromagneticsCommands.Guard(() => BarrierCrossing.Run(path, n, positionsM, gapNm * 1e-9, widthNm * 1e-9, cellNm * 1e-9, threads,
            PointDone<BarrierCrossing.Point>(ctx, points, p => FormattableString.Invariant(
                $"s = {p.PositionM * 1e9:F1} nm, lane {p.LaneM * 1e9:F1} nm: E − E_ref = {p.EnergyJ / KbtAt300KJ:F1} k_BT at 300 K, {(p.Opened ? "opened onto the edge" : $"R = {p.RadiusM * 1e9:F1} nm")}{(p.Converged ? "" : ", not converged")}")),
            torqueToleranceT, lanesM));
        return new DerivedParameters.Crossing(path.ToString().ToLowerInvariant(), n, r.GapM * 1e9, r.WidthM * 1e9, [.. r.Points.Select(p => p.PositionM * 1e9)],
            [.. r.Points.Select(p => p.EnergyJ)], [.. r.Points.Select(p => double.IsFinite(p.RadiusM) ? p.RadiusM * 1e9 : (double?)null)], r.BarrierJ, r.BarrierJ / KbtAt300KJ,
            r.BarrierPositionM * 1e9, r.Points.All(p => p.Converged), [.. r.Points.Select(p => p.LaneM * 1e9)], r.BarrierLaneM * 1e9, [.. r.Points.Select(p => p.Opened)]);
    }

    /// <summary>`--temperature T` above 0: the thermal breathing of the isolated skyrmion per n (<see cref="ThermalBreathing"/>).</summary>
    private static Task Breathing(CliContext ctx, int[] repeats, double kelvin, double cellNm, double boxNm, double sampleNs, double stepPs, string? path,
        int threads, bool zeroKelvinAsked)
    {
        if (zeroKelvinAsked) throw new BadInputException("--interactions, --edge-annihilation, --crossing and --drive-ma-cm2 are 0 K measurements: at --temperature above 0, derive measures the breathing only.");
        if (!(sampleNs > 0) || !double.IsFinite(sampleNs)) throw new BadInputException($"--breathing-ns must be > 0 (got {sampleNs}).");
        if (!(stepPs > 0 && stepPs < 10)) throw new BadInputException($"--heun-step-ps must be in (0, 10) (got {stepPs}).");
        var runs = new List<ThermalBreathing.Result>();
        foreach (int n in repeats)
        {
            ctx.Info(FormattableString.Invariant($"n = {n}: breathing at {kelvin} K, {sampleNs} ns sampled after 0.2 ns ({boxNm:F0} nm box, {cellNm:F1} nm cells, Heun {stepPs} ps)"));
            runs.Add(MicromagneticsCommands.Guard(() => ThermalBreathing.Run(n, kelvin, cellNm * 1e-9, boxNm * 1e-9, sampleNs * 1e-9, stepPs * 1e-12, threads: threads)));
        }
        string source = FormattableString.Invariant($"edgeskyrmion device derive --mml {string.Join(' ', repeats)} --temperature {kelvin} --cell-nm {cellNm} --box-nm {boxNm} --breathing-ns {sampleNs} --heun-step-ps {stepPs} --fft {DemagProvider.Current} --backend {TorqueBackends.Current} (micromagnetics, {DateTime.UtcNow:yyyy-MM-dd})");
        var parameters = new DerivedParameters(DerivedParameters.CurrentVersion, source, IsolatedSkyrmion.FieldT, cellNm * 1e-9, boxNm * 1e-9, [], null, null,
            DerivedParameters.Pending(false, false, false, false, breathingMeasured: true), Breathings:
            [.. runs.Select(r => new DerivedParameters.BreathingRun(r.MultilayerRepeats, r.TemperatureK, r.MeanRadiusM * 1e9, r.RadiusSdM * 1e9,
                double.IsFinite(r.RelaxationTimeS) ? r.RelaxationTimeS * 1e12 : null, r.Samples, r.Collapsed))]);
        if (path is not null) parameters.Save(path);
        ctx.Emit(new { Parameters = parameters, WallSeconds = runs.Select(r => r.WallSeconds).ToArray(), Out = path }, o =>
        {
            foreach (var r in runs)
                o.WriteLine(FormattableString.Invariant($"n = {r.MultilayerRepeats} at {r.TemperatureK} K: R = {r.MeanRadiusM * 1e9:F2} ± {r.RadiusSdM * 1e9:F2} nm (SD over {r.Samples} samples every {r.SampleIntervalS * 1e12:F0} ps), ") +
                    FormattableString.Invariant($"relaxation time {(double.IsFinite(r.RelaxationTimeS) ? (r.RelaxationTimeS * 1e12).ToString("F0", CultureInfo.InvariantCulture) + " ps" : "—")}") +
                    (r.Collapsed ? "; the skyrmion was lost before the end" : "") + FormattableString.Invariant($" ({r.Steps} Heun steps, {r.WallSeconds:F0} s)"));
            if (path is not null) o.WriteLine($"parameters written to {path}");
        });
        return Task.CompletedTask;
    }

    private static DerivedParameters.EdgeScan EdgeScan(CliContext ctx, int n, double cellNm, double[] distancesNm, int threads)
    {
        ctx.Info($"edge annihilation, n = {n}: {distancesNm.Length} minimizations with the core pinned");
        var r = MicromagneticsCommands.Guard(() => EdgeAnnihilationScan.Run(n, [.. distancesNm.Select(d => d * 1e-9)], cellNm * 1e-9, threads,
            PointDone<EdgeAnnihilationScan.Point>(ctx, distancesNm.Length, p => FormattableString.Invariant(
                $"d = {p.DistanceM * 1e9:F1} nm: {(p.Opened ? "opened onto the edge" : "closed")}{(p.Converged ? "" : ", not converged")}"))));
        return new DerivedParameters.EdgeScan(n, [.. r.Points.Select(p => p.DistanceM * 1e9)], [.. r.Points.Select(p => p.EnergyJ)], [.. r.Points.Select(p => double.IsFinite(p.RadiusM) ? p.RadiusM * 1e9 : (double?)null)],
            [.. r.Points.Select(p => p.Opened)], double.IsFinite(r.AnnihilationDistanceM) ? r.AnnihilationDistanceM * 1e9 : null, r.Points.All(p => p.Converged));
    }

    /// <summary>
    /// A profile's distances and film: edge and barrier from 14 to 44 nm, pairs from 26 to 74 nm, in 2 nm (pairs 4 nm) steps,
    /// from contact to where the force has died; refuses a film too short for them.
    /// </summary>
    private static (double[] DistancesNm, double FilmLengthM) Profile(InteractionProfiles.Kind kind, int points, double shiftNm, double filmLengthNm)
    {
        double[] distancesNm = kind == InteractionProfiles.Kind.Pair
            ? [.. Enumerable.Range(0, 13).Select(i => 26.0 + 4 * i)]
            : [.. Enumerable.Range(0, 16).Select(i => 14.0 + 2 * i)];
        distancesNm = [.. InteractionProfiles.Spread(distancesNm, points).Select(d => d + shiftNm)];
        double lengthM = filmLengthNm > 0 ? filmLengthNm * 1e-9 : InteractionProfiles.DefaultFilmLengthM(kind);
        InteractionProfiles.CheckFilm(kind, [.. distancesNm.Select(d => d * 1e-9)], lengthM);
        return (distancesNm, lengthM);
    }

    private static List<DerivedParameters.Interaction> Interactions(CliContext ctx, int n, double cellNm, int points, double shiftNm, double filmLengthNm, int threads)
    {
        var result = new List<DerivedParameters.Interaction>();
        foreach (InteractionProfiles.Kind kind in Enum.GetValues<InteractionProfiles.Kind>())
        {
            (double[] distancesNm, double lengthM) = Profile(kind, points, shiftNm, filmLengthNm);
            ctx.Info(FormattableString.Invariant($"{kind}, n = {n}: {distancesNm.Length} minimizations with the core pinned ({lengthM * 1e9:F0} nm film)"));
            var p = MicromagneticsCommands.Guard(() => InteractionProfiles.Run(kind, n, [.. distancesNm.Select(d => d * 1e-9)], cellNm * 1e-9, lengthM, threads,
                PointDone<InteractionProfiles.Point>(ctx, distancesNm.Length, q => FormattableString.Invariant($"{kind} at {q.DistanceM * 1e9:F1} nm: E = {q.EnergyJ:E3} J"))));
            result.Add(new DerivedParameters.Interaction(kind.ToString().ToLowerInvariant(), [.. p.Points.Select(q => q.DistanceM * 1e9)], [.. p.Points.Select(q => q.EnergyJ)],
                [.. p.Forces.Select(f => f.DistanceM * 1e9)], [.. p.Forces.Select(f => f.ForceN * 1e12)],
                double.IsFinite(p.DecayLengthM) ? p.DecayLengthM * 1e9 : null, double.IsFinite(p.AmplitudeN) ? p.AmplitudeN * 1e12 : null, n));
        }
        return result;
    }
}
