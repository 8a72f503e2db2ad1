using EdgeSkyrmion.Cli;
using System.CommandLine;
using System.Globalization;
using EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;

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
        var temperature = new Option<double>("--temperature") { Description = "Temperature, K (only 0: minimization).", DefaultValueFactory = _ => 0 };
        var cell = new Option<double>("--cell-nm") { Description = "In-plane cell size, nm (paper: 2).", DefaultValueFactory = _ => 2 };
        var box = new Option<double>("--box-nm") { Description = "Side of the square film around the skyrmion, nm.", DefaultValueFactory = _ => 128 };
        var output = new Option<string?>("--out") { Description = "Write the versioned parameter file (JSON) here." };
        var drive = new Option<double>("--drive-ma-cm2") { Description = "Also drive one layer's skyrmion (n = 1) with the paper's SOT at this current density, MA/cm² (paper: 30); 0: skip.", DefaultValueFactory = _ => 0 };
        var interactions = new Option<bool>("--interactions") { Description = "Also measure edge, barrier and skyrmion–skyrmion energy against distance (one layer, n = 1)." };
        Command command = CliCommand.Create("derive",
            "Derive particle-model inputs by micromagnetics on the [Pt/Co/Ir]n stack: the isolated skyrmion's radius per n (paper Fig. 4b). " +
            "Example: device derive --mml 1 2 4 6 8 --out derived-mml.json --json",
            (parse, ctx, _) =>
            {
                int[] repeats = parse.GetValue(mml)!;
                double kelvin = parse.GetValue(temperature), cellNm = parse.GetValue(cell), boxNm = parse.GetValue(box);
                if (kelvin < 0) throw new ArgumentException($"temperature must be ≥ 0 K (got {kelvin} K).");
                if (kelvin > 0) throw new BadInputException("derivation at finite temperature is not implemented: run --temperature 0 (the minimized ground state).");
                if (repeats.Length == 0 || repeats.Any(n => n < 1)) throw new ArgumentException("--mml needs repeat counts ≥ 1.");
                var results = new List<IsolatedSkyrmion.Result>();
                foreach (int n in repeats)
                {
                    ctx.Info($"n = {n}: minimizing an isolated skyrmion ({boxNm:F0} nm box, {cellNm:F1} nm cells)");
                    results.Add(MicromagneticsCommands.Guard(() => IsolatedSkyrmion.Run(n, cellNm * 1e-9, boxNm * 1e-9, parse.GetValue(threads))));
                    MicromagneticsCommands.Warn(ctx, results[^1].Warnings);
                }
                bool measureInteractions = parse.GetValue(interactions);
                List<DerivedParameters.Interaction>? profiles = measureInteractions ? Interactions(ctx, cellNm, parse.GetValue(threads)) : null;
                double driveMaCm2 = parse.GetValue(drive);
                if (driveMaCm2 < 0 || !double.IsFinite(driveMaCm2)) throw new ArgumentException($"--drive-ma-cm2 must be ≥ 0 (got {driveMaCm2}).");
                DrivenSkyrmion.Result? driven = null;
                if (driveMaCm2 > 0)
                {
                    ctx.Info($"n = 1: driving the skyrmion at {driveMaCm2} MA/cm² for {DrivenSkyrmion.DriveTimeS * 1e12:F0} ps");
                    driven = MicromagneticsCommands.Guard(() => DrivenSkyrmion.Run(driveMaCm2 * 1e10, cellNm * 1e-9, boxNm * 1e-9, parse.GetValue(threads)));
                }
                string source = FormattableString.Invariant($"edgeskyrmion device derive --mml {string.Join(' ', repeats)} --cell-nm {cellNm} --box-nm {boxNm}") +
                    (measureInteractions ? " --interactions" : "") + (driveMaCm2 > 0 ? FormattableString.Invariant($" --drive-ma-cm2 {driveMaCm2}") : "") + " " +
                    $"(micromagnetics, C# path, {DateTime.UtcNow:yyyy-MM-dd})";
                var parameters = new DerivedParameters(DerivedParameters.CurrentVersion, source, IsolatedSkyrmion.FieldT, cellNm * 1e-9, boxNm * 1e-9,
                    [.. results.Select(r => new DerivedParameters.Skyrmion(r.MultilayerRepeats, r.RadiusM * 1e9, [.. r.RadiusByLayerM.Select(x => x * 1e9)],
                        r.EnergyAboveUniformJ, r.TopologicalCharge, r.DissipationFactor, r.ThieleHallAngleDeg, r.Converged))],
                    profiles, driven is null ? null : new DerivedParameters.Drive(driven.CurrentDensityAPerM2, driven.VelocityXMPerS, driven.VelocityYMPerS,
                        driven.SpeedMPerS, driven.AngleFromXDeg),
                    DerivedParameters.Pending(measureInteractions, driven is not null));
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
                    if (driven is not null)
                        o.WriteLine($"driven at {driveMaCm2} MA/cm²: v = ({driven.VelocityXMPerS:F1}, {driven.VelocityYMPerS:F1}) m/s, {driven.SpeedMPerS:F1} m/s at {driven.AngleFromXDeg:F1}° from +x " +
                            $"(R {driven.RadiusBeforeM * 1e9:F2} → {driven.RadiusAfterM * 1e9:F2} nm, {driven.Steps} steps, {driven.WallSeconds:F1} s)");
                    if (path is not null) o.WriteLine($"parameters written to {path}");
                });
                return Task.CompletedTask;
            });
        foreach (Option option in (Option[])[mml, temperature, cell, box, output, interactions, drive, threads]) command.Options.Add(option);
        return command;
    }

    /// <summary>Edge and barrier from 14 to 44 nm, pairs from 26 to 74 nm, in 2 nm (pairs 4 nm) steps: from contact to where the force has died.</summary>
    private static List<DerivedParameters.Interaction> Interactions(CliContext ctx, double cellNm, int threads)
    {
        var result = new List<DerivedParameters.Interaction>();
        foreach (InteractionProfiles.Kind kind in Enum.GetValues<InteractionProfiles.Kind>())
        {
            double[] distancesNm = kind == InteractionProfiles.Kind.Pair
                ? [.. Enumerable.Range(0, 13).Select(i => 26.0 + 4 * i)]
                : [.. Enumerable.Range(0, 16).Select(i => 14.0 + 2 * i)];
            ctx.Info($"{kind}: {distancesNm.Length} minimizations with the core pinned");
            var p = MicromagneticsCommands.Guard(() => InteractionProfiles.Run(kind, [.. distancesNm.Select(d => d * 1e-9)], cellNm * 1e-9, threads));
            result.Add(new DerivedParameters.Interaction(kind.ToString().ToLowerInvariant(), [.. p.Points.Select(q => q.DistanceM * 1e9)], [.. p.Points.Select(q => q.EnergyJ)],
                [.. p.Forces.Select(f => f.DistanceM * 1e9)], [.. p.Forces.Select(f => f.ForceN * 1e12)], p.DecayLengthM * 1e9, p.AmplitudeN * 1e12));
        }
        return result;
    }
}
