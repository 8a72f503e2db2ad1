using EdgeSkyrmion.Cli;
using System.CommandLine;
using System.Globalization;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;
using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>
/// `device drift-physics`: the drift law with the micromagnetic barrier (<see cref="BarrierDriftLaw"/>). Reads the particle
/// model's fitted law from the reference table, checks its activation energy against the particle model's own gap-passage
/// barrier (<see cref="GapPassage"/>), shifts it by what micromagnetics measured for the same passage, and writes it into
/// state-table files on request.
/// </summary>
public static class DriftPhysicsCommand
{
    private const double BodyTemperatureK = 310;
    private const double ElectronVoltJ = 1.602176634e-19;

    public sealed record Output(string Reference, double GapNm, double ParticleBarrierEv, double FittedBackActivationEv, double FittedForwardActivationEv,
        double MicromagneticBarrierEv, double ShiftEv, double BackActivationEv, double ForwardActivationEv, double[] SecondsToLeaveStateAt310KFitted,
        double[] SecondsToLeaveStateAt310K, string Source, string[] Attached);

    public static Command Build()
    {
        var crossing = new Option<string[]>("--crossing") { Description = "A device derive file with a gap crossing profile (device derive --crossing gap); several: parts of one passage on one mesh (lanes added by a later run), whose saddle is taken over all their points.", Required = true, AllowMultipleArgumentsPerToken = true };
        var reference = new Option<string>("--reference") { Description = "State table carrying the particle model's fitted drift law (device retention).", DefaultValueFactory = _ => Presets.Default };
        var interspace = new Option<double>("--interspace") { Description = "Barrier-to-edge interspace of the device, skyrmion diameters.", DefaultValueFactory = _ => 1.5 };
        var attach = new Option<string?>("--attach") { Description = "Comma-separated state-table files to write the shifted law into." };
        Command command = CliCommand.Create("drift-physics",
            "The per-state drift law with the barrier measured by micromagnetics (particle-model prefactors, micromagnetic ΔE). " +
            "Example: device drift-physics --crossing derived-crossing-mml4.json --json",
            (parse, ctx, _) =>
            {
                string[] crossingPaths = parse.GetValue(crossing)!;
                foreach (string path in crossingPaths)
                    if (!File.Exists(path)) throw new BadInputException($"--crossing: no file {path}.");
                string referenceName = parse.GetValue(reference)!;
                StateTable table = Presets.Get(referenceName);
                DriftLaw fitted = table.Drift ?? throw new BadInputException($"{table.Name} carries no drift law to shift (device retention --attach first).");
                if (!fitted.Source.StartsWith("edgeskyrmion device retention", StringComparison.Ordinal))
                    throw new BadInputException($"{table.Name}'s drift law is not the particle model's fit (source: {fitted.Source}); shift the fitted law only once: pass a table that still carries the fit (the mml4 presets' is kept as docs/wearable-lifetime/mml4-300K-particle-fit.json).");
                var design = new DeviceConfiguration { MultilayerRepeats = table.MultilayerRepeats, InterspaceDskr = parse.GetValue(interspace), TemperatureK = table.TemperatureK }.Validated();
                ParticleParameters p = design.Parameters(1);
                double gapNm = (p.BarrierCenterYM - p.BarrierHalfWidthM) * 1e9;
                var parts = new List<(DerivedParameters.Crossing Crossing, double CellM, string Name)>();
                foreach (string path in crossingPaths)
                {
                    DerivedParameters file = DerivedParameters.Load(path);
                    DerivedParameters.Crossing part = file.Crossings?.FirstOrDefault(c => c.Path == "gap" && c.MultilayerRepeats == table.MultilayerRepeats)
                        ?? throw new BadInputException($"{path} has no gap crossing for n = {table.MultilayerRepeats}.");
                    if (Math.Abs(part.GapNm - gapNm) > 1)
                        throw new BadInputException($"{path} measured a {part.GapNm:F1} nm gap; the device's is {gapNm:F1} nm (--interspace {parse.GetValue(interspace)}).");
                    parts.Add((part, file.CellM, Path.GetFileName(path)));
                }
                double measuredGapNm = parts[0].Crossing.GapNm;
                double barrierJ = parts.Count == 1 ? parts[0].Crossing.BarrierJ : BarrierCrossing.SaddleOfParts(parts).BarrierJ;
                string source = $"edgeskyrmion device drift-physics --crossing {string.Join(' ', parts.Select(x => x.Name))} --reference {Path.GetFileName(referenceName)}: barrier from micromagnetics " +
                    $"({barrierJ / ElectronVoltJ:F3} eV through the {measuredGapNm:F1} nm gap, n = {table.MultilayerRepeats}), per-state prefactors from [{fitted.Source}] ({DateTime.UtcNow:yyyy-MM-dd})";
                BarrierDriftLaw.Result shifted = BarrierDriftLaw.Shift(fitted, GapPassage.BarrierJ(p), barrierJ, source);
                var attached = new List<string>();
                foreach (string file in (parse.GetValue(attach) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    StateTable target = StateTable.Load(file);
                    if (target.States != table.States) throw new ArgumentException($"{file} has {target.States} states, the law has {table.States}.");
                    (target with { Drift = shifted.Law }).Save(file);
                    attached.Add(file);
                }
                static double[] Leave(DriftLaw law, int states) => [.. Enumerable.Range(0, states).Select(s => 1 / (law.DownRatePerS(s, BodyTemperatureK) + law.UpRatePerS(s, BodyTemperatureK)))];
                var output = new Output(table.Name, gapNm, shifted.ParticleBarrierJ / ElectronVoltJ, fitted.ActivationEnergyJ / ElectronVoltJ, fitted.UpActivationEnergyJ / ElectronVoltJ,
                    shifted.MicromagneticBarrierJ / ElectronVoltJ, shifted.ShiftJ / ElectronVoltJ, shifted.Law.ActivationEnergyJ / ElectronVoltJ, shifted.Law.UpActivationEnergyJ / ElectronVoltJ,
                    Leave(fitted, table.States), Leave(shifted.Law, table.States), source, [.. attached]);
                ctx.Emit(output, o =>
                {
                    o.WriteLine(FormattableString.Invariant($"particle model ({table.Name}, {gapNm:F1} nm gap): its own gap barrier {output.ParticleBarrierEv:F3} eV; its hot-run fit found {output.FittedBackActivationEv:F3} eV back, {output.FittedForwardActivationEv:F3} eV forward"));
                    o.WriteLine(FormattableString.Invariant($"micromagnetics: {output.MicromagneticBarrierEv:F3} eV → shift {output.ShiftEv:+0.000;-0.000} eV: {output.BackActivationEv:F3} eV back, {output.ForwardActivationEv:F3} eV forward"));
                    o.WriteLine($"mean time to leave each state at {BodyTemperatureK} K, s: fitted {string.Join(' ', output.SecondsToLeaveStateAt310KFitted.Select(h => h.ToString("G3", CultureInfo.InvariantCulture)))}");
                    o.WriteLine($"                                       with the micromagnetic barrier {string.Join(' ', output.SecondsToLeaveStateAt310K.Select(h => h.ToString("G3", CultureInfo.InvariantCulture)))}");
                    foreach (string f in attached) o.WriteLine($"drift law written into {f}");
                });
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { crossing, reference, interspace, attach }) command.Options.Add(o);
        return command;
    }
}
