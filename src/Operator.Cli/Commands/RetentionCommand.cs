using EdgeSkyrmion.Cli;
using System.CommandLine;
using System.Globalization;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.DeviceModel.Physics;
using EdgeSkyrmion.DeviceModel.Protocol;
using EdgeSkyrmion.DeviceModel.Readout;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>
/// `device retention`: long idle runs of the particle model at several (hot) temperatures, the Arrhenius drift law
/// fitted to their barrier crossings, checked on a longer run at a temperature the fit did not see, and optionally
/// attached to state-table files (the shipped presets) as their <see cref="StateTable.Drift"/>.
/// </summary>
public static class RetentionCommand
{
    public sealed record Row(double TemperatureK, double IdleS, int Devices, int BackCrossings, int ForwardEscapes, double ExposureDeviceS,
        double BackCrossingsPerDeviceS, int[] BackCrossingsByState, double[] ExposureByStateDeviceS, int[] CumulativeBackCrossings, double WallSeconds);

    public sealed record Check(double TemperatureK, double IdleS, int SimulatedBackCrossings, double PredictedBackCrossings, double PoissonSd, double ErrorSds,
        int[] CumulativeBackCrossings);

    private const double BodyTemperatureK = 310;

    public sealed record Output(int MultilayerRepeats, double InterspaceDskr, string Reference, Row[] Runs, double ActivationEnergyEv, double ForwardActivationEnergyEv,
        double ReferenceTemperatureK, double[] DownRatesPerS, double[] UpRatesPerS, double[] SecondsToLeaveStateAt310K, Check? Extrapolation, string[] Attached);

    public static Command Build()
    {
        var mml = new Option<int>("--mml") { Description = "Multilayer repeat count n.", DefaultValueFactory = _ => 4 };
        var interspace = new Option<double>("--interspace") { Description = "Barrier-to-edge interspace, skyrmion diameters.", DefaultValueFactory = _ => 1.5 };
        var temperatures = new Option<string>("--temperatures") { Description = "Comma-separated idle temperatures, K (hot: crossings are rare at body temperature).", DefaultValueFactory = _ => "1100,1300,1500" };
        var idleUs = new Option<double>("--idle-us") { Description = "Idle per programmed state, μs.", DefaultValueFactory = _ => 1 };
        var settleNs = new Option<double>("--settle-ns") { Description = "Idle after programming before counting starts (the pulse's transient), ns.", DefaultValueFactory = _ => 100 };
        var windows = new Option<int>("--windows") { Description = "Count windows per idle.", DefaultValueFactory = _ => 40 };
        var pulses = new Option<string>("--ltp-pulses") { Description = "LTP pulse counts after the calibration cycle, one branch each (spread the states).", DefaultValueFactory = _ => "0,3,6,10" };
        var devices = new Option<int>("--devices") { Description = "Devices per branch.", DefaultValueFactory = _ => 16 };
        var seed = new Option<ulong>("--seed") { Description = "RNG seed.", DefaultValueFactory = _ => 1UL };
        var reference = new Option<string>("--reference") { Description = "State table whose states classify the devices and receive the law.", DefaultValueFactory = _ => Presets.Default };
        var checkT = new Option<double?>("--check-temperature") { Description = "Held-out temperature, K, of a longer check run (none: no check)." };
        var checkIdle = new Option<double>("--check-idle-us") { Description = "Idle of the check run, μs.", DefaultValueFactory = _ => 2 };
        var attach = new Option<string?>("--attach") { Description = "Comma-separated state-table files to write the fitted law into." };
        Command command = CliCommand.Create("retention",
            "Fit the per-state drift law (Arrhenius) from long idle runs of the particle model. " +
            "Example: device retention --temperatures 1100,1300,1500 --idle-us 1 --check-temperature 1000 --check-idle-us 3 --json",
            (parse, ctx, _) =>
            {
                double[] ts = NumberList.Parse(parse.GetValue(temperatures)!, "--temperatures", t => t > 0, "a temperature > 0 K");
                int[] ks = [.. NumberList.Parse(parse.GetValue(pulses)!, "--ltp-pulses", k => k >= 0 && k <= int.MaxValue && k == Math.Floor(k), "a whole number of pulses ≥ 0").Select(k => (int)k)];
                int n = parse.GetValue(devices), w = parse.GetValue(windows);
                double idle = parse.GetValue(idleUs) * 1e-6, settle = parse.GetValue(settleNs) * 1e-9;
                if (n < 1 || w < 1 || !(idle > 0) || !(settle >= 0)) throw new ArgumentException("--devices and --windows must be ≥ 1, --idle-us > 0 and --settle-ns ≥ 0.");
                StateTable table = Presets.Get(parse.GetValue(reference)!);
                var protocol = new PulseProtocol();
                using var backend = new CpuParticleBackend(-1);
                DeviceConfiguration Design(double t) => new DeviceConfiguration
                {
                    MultilayerRepeats = parse.GetValue(mml), InterspaceDskr = parse.GetValue(interspace), TemperatureK = t,
                }.Validated();
                var runs = new List<RetentionRun.Result>();
                foreach (double t in ts)
                    runs.Add(ctx.WithProgress($"idle at {t} K", p => RetentionRun.Run(Design(t), protocol, table, n, parse.GetValue(seed), backend, ks, idle, w, settle, p)));
                DeviceConfiguration reference0 = Design(table.TemperatureK);
                double skyrmionG0 = new MtjReadout().Tmr * Math.PI * reference0.Skyrmion.RadiusM * reference0.Skyrmion.RadiusM / reference0.Track.ReadAreaM2;
                string source = $"edgeskyrmion device retention --mml {reference0.MultilayerRepeats} --interspace {DeviceCommands.Invariant(reference0.InterspaceDskr)} " +
                    $"--temperatures {parse.GetValue(temperatures)} --idle-us {DeviceCommands.Invariant(idle * 1e6)} --settle-ns {DeviceCommands.Invariant(settle * 1e9)} --windows {w} --ltp-pulses {parse.GetValue(pulses)} " +
                    $"--devices {n} --seed {parse.GetValue(seed)} (particle model, {DateTime.UtcNow:yyyy-MM-dd})";
                DriftFit.Result fit = DriftFit.Fit(runs, table, skyrmionG0, table.TemperatureK, source);

                Check? check = null;
                if (parse.GetValue(checkT) is double ct)
                {
                    RetentionRun.Result longer = ctx.WithProgress($"check at {ct} K", p =>
                        RetentionRun.Run(Design(ct), protocol, table, n, parse.GetValue(seed) + 1, backend, ks, parse.GetValue(checkIdle) * 1e-6, w, settle, p));
                    double predicted = DriftFit.ExpectedBackCrossings(fit, longer);
                    int simulated = longer.BackCrossings.Sum();
                    check = new Check(ct, longer.IdleS, simulated, predicted, Math.Sqrt(predicted), (simulated - predicted) / Math.Sqrt(Math.Max(predicted, 1)), longer.CumulativeBackCrossings);
                }
                var attached = new List<string>();
                foreach (string file in (parse.GetValue(attach) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    StateTable target = StateTable.Load(file);
                    if (target.States != table.States) throw new ArgumentException($"{file} has {target.States} states, the law was fitted on {table.States}.");
                    (target with { Drift = fit.Law }).Save(file);
                    attached.Add(file);
                }
                double[] hours = Enumerable.Range(0, table.States).Select(s => 1 / (fit.Law.DownRatePerS(s, BodyTemperatureK) + fit.Law.UpRatePerS(s, BodyTemperatureK))).ToArray();
                var output = new Output(reference0.MultilayerRepeats, reference0.InterspaceDskr, table.Name,
                    runs.Select(r => new Row(r.TemperatureK, r.IdleS, r.Devices, r.BackCrossings.Sum(), r.ForwardEscapes.Sum(), r.ExposureDeviceS.Sum(),
                        r.BackCrossings.Sum() / r.ExposureDeviceS.Sum(), r.BackCrossings, r.ExposureDeviceS, r.CumulativeBackCrossings, r.WallSeconds)).ToArray(),
                    fit.BackActivationEnergyEv, fit.ForwardActivationEnergyEv, fit.Law.ReferenceTemperatureK, fit.Law.DownRatesPerS, fit.Law.UpRatesPerS, hours, check, attached.ToArray());
                ctx.Emit(output, o =>
                {
                    foreach (Row r in output.Runs)
                        o.WriteLine($"{r.TemperatureK} K: {r.BackCrossings} back-crossings, {r.ForwardEscapes} forward escapes in {r.ExposureDeviceS * 1e6:F1} device-μs ({r.BackCrossingsPerDeviceS:E2} /s per device)");
                    o.WriteLine($"E_a = {output.ActivationEnergyEv:F3} eV (forward {output.ForwardActivationEnergyEv:F3} eV); per-state step-down rates at {output.ReferenceTemperatureK} K: {string.Join(' ', output.DownRatesPerS.Select(v => v.ToString("E2", CultureInfo.InvariantCulture)))} /s");
                    o.WriteLine($"mean time to leave each state at {BodyTemperatureK} K, s: {string.Join(' ', hours.Select(h => h.ToString("G3", CultureInfo.InvariantCulture)))}");
                    if (check is not null)
                        o.WriteLine($"check at {check.TemperatureK} K, {check.IdleS * 1e6:F1} μs: simulated {check.SimulatedBackCrossings}, predicted {check.PredictedBackCrossings:F1} ± {check.PoissonSd:F1} ({check.ErrorSds:+0.0;-0.0} SD)");
                    foreach (string f in attached) o.WriteLine($"drift law written into {f}");
                });
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { mml, interspace, temperatures, idleUs, settleNs, windows, pulses, devices, seed, reference, checkT, checkIdle, attach }) command.Options.Add(o);
        return command;
    }
}
