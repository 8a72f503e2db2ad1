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
        var ca = new Option<string?>("--ca") { Description = "The fleet server's TLS CA certificate (PEM, NAME.tls-ca.pem beside its database): the only CA this device trusts for https." };
        var clientCert = new Option<string?>("--client-cert") { Description = "The device's client certificate (PEM) `fleet register --credentials-dir` saved, for a fleet with mutual TLS (with --client-key)." };
        var clientKey = new Option<string?>("--client-key") { Description = "The private key (PEM) of --client-cert." };
        Command command = CliCommand.Create("trust", "Pin the cloud's root key and store the device token. Example: edge trust --state /var/edge --root-key root.der --token T --ca fleet.tls-ca.pem",
            (parse, ctx, _) =>
            {
                string? rootPath = parse.GetValue(root), keyPath = parse.GetValue(key);
                if ((rootPath is null) == (keyPath is null)) throw new ArgumentException("give exactly one of --root-key (the fleet's root key) and --cloud-key (a fleet without one).");
                string path = (rootPath ?? keyPath)!;
                if (!File.Exists(path)) throw new FileNotFoundException($"{(rootPath is null ? "cloud" : "root")} key {path} does not exist.", path);
                EdgeDevice device = EdgeDevice.Open(parse.GetValue(state)!);
                string? caPath = parse.GetValue(ca);
                if (caPath is not null && !File.Exists(caPath)) throw new FileNotFoundException($"CA certificate {caPath} does not exist.", caPath);
                string? certPath = parse.GetValue(clientCert), keyFile = parse.GetValue(clientKey);
                if ((certPath is null) != (keyFile is null)) throw new ArgumentException("give --client-cert and --client-key together.");
                foreach (string? f in new[] { certPath, keyFile })
                    if (f is not null && !File.Exists(f)) throw new FileNotFoundException($"client certificate file {f} does not exist.", f);
                var credentials = new DeviceCredentials(File.ReadAllBytes(path), parse.GetValue(token)!, PinsRoot: rootPath is not null)
                {
                    CaPem = caPath is null ? null : File.ReadAllBytes(caPath),
                    ClientCertificatePem = certPath is null ? null : (File.ReadAllText(certPath), File.ReadAllText(keyFile!)),
                };
                credentials.Save(device.StateDirectory);
                if (!ctx.Json) ctx.Stdout.WriteLine($"{device.Committed.DeviceId} now trusts {(credentials.PinsRoot ? "root" : "cloud")} key {credentials.CloudKeyId}" +
                    (certPath is null ? "" : "; it presents its client certificate (mutual TLS)"));
                return Task.FromResult(ExitCode.Ok);
            });
        foreach (Option o in new Option[] { state, root, key, token, ca, clientCert, clientKey }) command.Options.Add(o);
        return command;
    }
}
