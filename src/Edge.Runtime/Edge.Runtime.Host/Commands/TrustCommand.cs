using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Transport;

namespace EdgeSkyrmion.Edge.Host.Commands;

/// <summary>`edge trust`: pins the cloud's root key (or, for a fleet without one, its signing key) and stores the device token in the state directory.</summary>
internal static class TrustCommand
{
    public static Command Build()
    {
        Option<string> state = HostOptions.State();
        var root = new Option<string?>("--root-key") { Description = "The fleet's root public key (DER), from `fleet keys init --out`: the device then accepts any signing key the root delegates." };
        var key = new Option<string?>("--cloud-key") { Description = "A fleet without a root key: its one update-signing public key (DER), from `fleet signing-key`." };
        var token = new Option<string>("--token") { Description = "The token `fleet register` issued to this device.", Required = true };
        Command command = CliCommand.Create("trust", "Pin the cloud's root key and store the device token. Example: edge trust --state /var/edge --root-key root.der --token T",
            (parse, ctx, _) =>
            {
                string? rootPath = parse.GetValue(root), keyPath = parse.GetValue(key);
                if ((rootPath is null) == (keyPath is null)) throw new ArgumentException("give exactly one of --root-key (the fleet's root key) and --cloud-key (a fleet without one).");
                string path = (rootPath ?? keyPath)!;
                if (!File.Exists(path)) throw new FileNotFoundException($"{(rootPath is null ? "cloud" : "root")} key {path} does not exist.", path);
                EdgeDevice device = EdgeDevice.Open(parse.GetValue(state)!);
                var credentials = new DeviceCredentials(File.ReadAllBytes(path), parse.GetValue(token)!, PinsRoot: rootPath is not null);
                credentials.Save(device.StateDirectory);
                if (!ctx.Json) ctx.Stdout.WriteLine($"{device.Committed.DeviceId} now trusts {(credentials.PinsRoot ? "root" : "cloud")} key {credentials.CloudKeyId}");
                return Task.FromResult(ExitCode.Ok);
            });
        foreach (Option o in new Option[] { state, root, key, token }) command.Options.Add(o);
        return command;
    }
}
