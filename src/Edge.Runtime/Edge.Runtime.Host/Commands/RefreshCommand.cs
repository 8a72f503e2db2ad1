using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Edge.Runtime;

namespace EdgeSkyrmion.Edge.Host.Commands;

/// <summary>`edge refresh`: one session of the refresh policy on the device's own crossbar, within an energy budget, durably.</summary>
internal static class RefreshCommand
{
    public sealed record Output(RefreshReport Refresh, EnergyOutput Energy);

    public static Command Build()
    {
        Option<string> state = HostOptions.State();
        var budget = new Option<double>("--budget-nj") { Description = "Energy the session may spend, nJ (a daily refresh of the 4.79 M-device network needs ≈ 23 nJ on the 33 nm design).", Required = true };
        var temperature = new Option<double>("--temperature") { Description = "Device temperature, K (within the characterized tables' range).", DefaultValueFactory = _ => 310 };
        Command command = CliCommand.Create("refresh",
            "Re-verify the held devices in order of their effect on accuracy and re-program those off target, within a budget; the next session resumes where this one stopped. " +
            "Example: edge refresh --state /var/edge --budget-nj 50 --temperature 308 --json",
            (parse, ctx, _) =>
            {
                double nj = parse.GetValue(budget);
                if (!(nj >= 0) || double.IsInfinity(nj)) throw new ArgumentException($"--budget-nj must be a finite energy ≥ 0 (got {nj}).");
                EdgeDevice device = EdgeDevice.Open(parse.GetValue(state)!);
                RefreshReport r = device.Refresh(nj * 1e-9, parse.GetValue(temperature));
                var output = new Output(r, EnergyOutput.From(r.Spent));
                ctx.Emit(output, HostJson.Default.RefreshOutput, o =>
                {
                    if (r.RecoveredUpdate is not null) o.WriteLine($"recovered: {r.RecoveredUpdate}");
                    o.WriteLine($"refreshed at {r.TemperatureK} K ({r.Table}): checked {r.DevicesChecked} of {r.Devices} devices from #{r.StartedAt} of the order" +
                        (r.BudgetExhausted ? $" (budget spent; the next session starts at #{r.NextStartsAt})" : "") +
                        $", re-programmed {r.DevicesReprogrammed} ({r.DevicesReprogrammedOnTarget} still held their target), {r.DevicesFailed} failed; off target {r.OffTargetBefore} → {r.OffTargetAfter}");
                    o.WriteLine($"  spent {output.Energy.TotalEnergyFj / 1e6:F3} nJ of {nj:G4} nJ: {output.Energy.Reads} reads, {output.Energy.ProgrammingPulses} pulses, {output.Energy.InitializationPulses} initialization pulses");
                });
                return Task.FromResult(ExitCode.Ok);
            });
        foreach (Option o in new Option[] { state, budget, temperature }) command.Options.Add(o);
        return command;
    }
}
