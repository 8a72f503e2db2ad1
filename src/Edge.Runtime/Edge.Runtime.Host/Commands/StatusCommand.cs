using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Edge.Runtime;

namespace EdgeSkyrmion.Edge.Host.Commands;

/// <summary>`edge status`: model version, devices, failures and the lifetime energy ledger of a state directory.</summary>
internal static class StatusCommand
{
    public sealed record Output(string DeviceId, string ModelId, ulong ModelVersion, string Preset, string Shape, int Devices,
        int FailedDevices, long UpdatesApplied, EnergyOutput Lifetime, string? RecoveredUpdate);

    public static Command Build()
    {
        Option<string> state = HostOptions.State();
        Command command = CliCommand.Create("status", "Show the device's model version, failed devices and energy ledger. Example: edge status --state /var/edge --json",
            (parse, ctx, _) =>
            {
                EdgeDevice device = EdgeDevice.Open(parse.GetValue(state)!);
                var s = device.Committed;
                var output = new Output(s.DeviceId, s.ModelId, s.ModelVersion, s.Table.Name, device.Layout?.Shape ?? "none",
                    device.Devices.Count, device.Devices.FailedCount, s.UpdatesApplied, EnergyOutput.From(s.Lifetime),
                    device.Recovered is { } r ? $"{r.UpdateId} (v{r.BaseVersion}→v{r.NewVersion}) finished on open" : null);
                ctx.Emit(output, HostJson.Default.StatusOutput, o =>
                {
                    o.WriteLine($"device {output.DeviceId}: model {(output.ModelVersion == 0 ? "none" : $"{output.ModelId} v{output.ModelVersion}")}, preset {output.Preset}, {output.Shape}");
                    o.WriteLine($"  {output.Devices} devices, {output.FailedDevices} failed, {output.UpdatesApplied} updates applied");
                    o.WriteLine($"  lifetime energy {output.Lifetime.TotalEnergyFj:F0} fJ: {output.Lifetime.ProgrammingPulses} pulses, {output.Lifetime.InitializationPulses} init pulses, {output.Lifetime.Reads} reads");
                    if (output.RecoveredUpdate is not null) o.WriteLine($"  recovered: {output.RecoveredUpdate}");
                });
                return Task.FromResult(ExitCode.Ok);
            });
        command.Options.Add(state);
        return command;
    }
}
