using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Transport;

namespace EdgeSkyrmion.Edge.Host.Commands;

/// <summary>`edge trust`: pins the cloud's signing key and stores the device token in the state directory.</summary>
internal static class TrustCommand
{
    public static Command Build()
    {
        Option<string> state = HostOptions.State();
        var key = new Option<string>("--cloud-key") { Description = "The cloud's update-signing public key (DER), from `fleet signing-key`.", Required = true };
        var token = new Option<string>("--token") { Description = "The token `fleet register` issued to this device.", Required = true };
        Command command = CliCommand.Create("trust", "Pin the cloud key and store the device token. Example: edge trust --state /var/edge --cloud-key cloud-key.der --token T",
            (parse, ctx, _) =>
            {
                EdgeDevice device = EdgeDevice.Open(parse.GetValue(state)!);
                string keyPath = parse.GetValue(key)!;
                if (!File.Exists(keyPath)) throw new FileNotFoundException($"cloud key {keyPath} does not exist.", keyPath);
                var credentials = new DeviceCredentials(File.ReadAllBytes(keyPath), parse.GetValue(token)!);
                credentials.Save(device.StateDirectory);
                if (!ctx.Json) ctx.Stdout.WriteLine($"{device.Committed.DeviceId} now trusts cloud key {credentials.CloudKeyId}");
                return Task.FromResult(ExitCode.Ok);
            });
        foreach (Option o in new Option[] { state, key, token }) command.Options.Add(o);
        return command;
    }
}
