using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Edge.Runtime;

namespace EdgeSkyrmion.Edge.Host.Commands;

/// <summary>`edge age`: idles the crossbar for H hours at a temperature under the preset's drift law, durably.</summary>
internal static class AgeCommand
{
    public static Command Build()
    {
        Option<string> state = HostOptions.State();
        var hours = new Option<double>("--hours") { Description = "Idle time, hours.", Required = true };
        var temperature = new Option<double>("--temperature") { Description = "Device temperature, K (within the characterized tables' range).", DefaultValueFactory = _ => 310 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the drift's random numbers (same seed, same result).", DefaultValueFactory = _ => 1UL };
        Command command = CliCommand.Create("age", "Age the held devices by the drift law (finishes a pending update first). Example: edge age --state /var/edge --hours 24 --temperature 310 --json",
            (parse, ctx, _) =>
            {
                double h = parse.GetValue(hours);
                if (!(h >= 0) || double.IsInfinity(h)) throw new ArgumentException($"--hours must be ≥ 0 (got {h}).");
                EdgeDevice device = EdgeDevice.Open(parse.GetValue(state)!);
                AgingReport r = device.Age(h * 3600, parse.GetValue(temperature), parse.GetValue(seed));
                ctx.Emit(r, HostJson.Default.AgingReport, o =>
                {
                    if (r.RecoveredUpdate is not null) o.WriteLine($"recovered: {r.RecoveredUpdate}");
                    o.WriteLine($"aged {r.DurationS / 3600:G4} h at {r.TemperatureK} K ({r.Table}): {r.DevicesMoved} of {r.Devices} devices drifted; " +
                        $"off target {r.OffTargetBefore} → {r.OffTargetAfter}");
                    o.WriteLine($"  states before {string.Join(' ', r.StatesBefore)}; after {string.Join(' ', r.StatesAfter)}");
                });
                return Task.FromResult(ExitCode.Ok);
            });
        foreach (Option o in new Option[] { state, hours, temperature, seed }) command.Options.Add(o);
        return command;
    }
}
