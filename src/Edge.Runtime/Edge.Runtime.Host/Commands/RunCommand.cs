using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Transport;

namespace EdgeSkyrmion.Edge.Host.Commands;

/// <summary>`edge run`: stays connected to the cloud, applies pushed updates durably, acks them, reconnects.</summary>
internal static class RunCommand
{
    public static Command Build()
    {
        Option<string> state = HostOptions.State();
        var cloud = new Option<string>("--cloud") { Description = "The cloud's gRPC URL (https: TLS pinned to the CA of `edge trust --ca`); the nodes of a fleet cluster ';'-separated: a lost session moves to the next.", Required = true };
        var deviceId = new Option<string>("--device-id") { Description = "This device's id (must match the state directory).", Required = true };
        var temperature = new Option<double?>("--temperature") { Description = "The device's temperature, K: reads and programming use the nearest characterized table; reported in telemetry." };
        var provisioning = new Option<string?>("--provisioning-url") { Description = "Also open the local provisioning port (flash --device URL), e.g. http://127.0.0.1:5099/." };
        Command command = CliCommand.Create("run", "Connect to the cloud and apply pushed updates. Example: edge run --cloud https://127.0.0.1:5080 --device-id wrist-0001 --state /var/edge",
            async (parse, _, ct) =>
            {
                Uri[] urls = [.. parse.GetValue(cloud)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(u => Uri.TryCreate(u, UriKind.Absolute, out Uri? url) ? url : throw new ArgumentException($"--cloud: {u} is not an absolute URL."))];
                if (urls.Length == 0) throw new ArgumentException("--cloud names no URL.");
                EdgeDevice device = EdgeDevice.Open(parse.GetValue(state)!);
                if (device.Committed.DeviceId != parse.GetValue(deviceId))
                    throw new ArgumentException($"--device-id {parse.GetValue(deviceId)} does not match the state directory's device {device.Committed.DeviceId}.");
                if (parse.GetValue(temperature) is double kelvin) device.SenseTemperature(kelvin);
                if (device.Recovered is { } r) Console.Error.WriteLine($"recovered interrupted update {r.UpdateId} (v{r.BaseVersion}→v{r.NewVersion})");
                var client = new FleetClient(device, DeviceCredentials.Load(device.StateDirectory), urls, m => Console.Error.WriteLine(m));
                Console.Error.WriteLine($"edge {device.Committed.DeviceId} holding v{device.Committed.ModelVersion}, connecting to {string.Join(" or ", urls.Select(u => u.ToString()))}");
                if (parse.GetValue(provisioning) is { } port)
                {
                    if (!Uri.TryCreate(port, UriKind.Absolute, out Uri? portUrl)) throw new ArgumentException($"--provisioning-url {port} is not an absolute URL.");
                    using var listener = new ProvisioningListener(client.Applier, portUrl, m => Console.Error.WriteLine(m), client.Reconnect);
                    await Task.WhenAll(client.RunAsync(ct), listener.RunAsync(ct)).ConfigureAwait(false);
                    return ExitCode.Ok;
                }
                await client.RunAsync(ct).ConfigureAwait(false);
                return ExitCode.Ok;
            });
        foreach (Option o in new Option[] { state, cloud, deviceId, temperature, provisioning }) command.Options.Add(o);
        return command;
    }
}
