using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;

namespace EdgeSkyrmion.Edge.Host.Commands;

/// <summary>`edge provision`: creates the state directory of a new device (its chip and preset, no model yet).</summary>
internal static class ProvisionCommand
{
    public sealed record Output(string State, string DeviceId, string Preset, int ChipSeed);

    public static Command Build()
    {
        Option<string> state = HostOptions.State();
        var deviceId = new Option<string>("--device-id") { Description = "The device's identity.", Required = true };
        var preset = new Option<string>("--preset") { Description = "Skyrmion device preset name or state-table file.", DefaultValueFactory = _ => Presets.Default };
        var chipSeed = new Option<int>("--chip-seed") { Description = "Seed of the chip's device-to-device variation (its identity).", DefaultValueFactory = _ => 1 };
        Command command = CliCommand.Create("provision", "Create a new device's state directory. Example: edge provision --state /var/edge --device-id wrist-0001",
            (parse, ctx, _) =>
            {
                EdgeDevice device = EdgeDevice.Provision(parse.GetValue(state)!, parse.GetValue(deviceId)!, Presets.Get(parse.GetValue(preset)!), parse.GetValue(chipSeed));
                var output = new Output(device.StateDirectory, device.Committed.DeviceId, device.Committed.Table.Name, device.Committed.ChipSeed);
                ctx.Emit(output, HostJson.Default.ProvisionOutput, o => o.WriteLine($"provisioned {output.DeviceId} in {output.State} (preset {output.Preset})"));
                return Task.FromResult(ExitCode.Ok);
            });
        foreach (Option o in new Option[] { state, deviceId, preset, chipSeed }) command.Options.Add(o);
        return command;
    }
}
