using System.CommandLine;
using System.Security.Cryptography;
using EdgeSkyrmion.Cli;
using EdgeSkyrmion.Cloud.Updates;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>
/// `fleet keys init|rotate|revoke|show`: the key hierarchy. The root's private key never leaves the operator's
/// file: the CLI signs each delegation locally and sends only the signed delegation to the server.
/// </summary>
public static class KeysCommands
{
    private static readonly Option<string> RootKey = new("--root-key") { Description = "The fleet's root private key (PEM) that `keys init` created; keep it offline.", Required = true };

    public static Command Build()
    {
        var keys = new Command("keys", "The update-signing key hierarchy: an offline root key delegating online signing keys, with rotation and revocation.");
        foreach (Command c in new[] { Init(), Rotate(), Revoke(), Show() }) keys.Subcommands.Add(c);
        return keys;
    }

    private static Option<double> ValidDays() => new("--valid-days")
    {
        Description = "How long the delegation and the new signing key are valid, days (devices refuse updates after it: renew with rotate).",
        DefaultValueFactory = _ => 365,
    };

    private static Command Init()
    {
        var output = new Option<string>("--out") { Description = "Where to write the root public key (DER) that devices pin (`edge trust --root-key`).", Required = true };
        Option<double> valid = ValidDays();
        Command init = CliCommand.Create("init",
            "Create the fleet's root key and delegate the server's signing key from it. Example: fleet keys init --root-key ~/offline/root.pem --out out/root.der",
            async (parse, ctx, ct) =>
            {
                string rootPath = parse.GetValue(RootKey)!, outPath = parse.GetValue(output)!;
                if (File.Exists(rootPath)) throw new ArgumentException($"{rootPath} already exists; a root key is never overwritten (use rotate or revoke with it).");
                if (File.Exists(outPath)) throw new ArgumentException($"{outPath} already exists; give a new file for the root public key.");
                TimeSpan validFor = Days(parse.GetValue(valid));
                using OperatorConnection ops = FleetCommands.Connect(parse);
                KeysInfo current = await ops.Client.GetKeysAsync(new GetKeysRequest(), cancellationToken: ct);
                if (current.RootKeyId.Length > 0) throw new ArgumentException($"the fleet already has root key {current.RootKeyId}; keys init runs once.");
                SigningKeyInfo signing = await ops.Client.GetSigningKeyAsync(new GetSigningKeyRequest(), cancellationToken: ct);
                using ECDsa root = EcKeyFile.Create(rootPath);
                KeysInfo installed;
                try
                {
                    installed = await Publish(ops, root, DelegationSigner.Initial(signing.PublicKeyDer.ToByteArray(), validFor, DateTimeOffset.UtcNow), ct);
                }
                catch
                {
                    // The server took nothing, so the root it never saw is useless: leave no key file behind.
                    File.Delete(rootPath);
                    throw;
                }
                await File.WriteAllBytesAsync(outPath, root.ExportSubjectPublicKeyInfo(), ct).ConfigureAwait(false);
                ctx.EmitMessage(installed, o => o.WriteLine($"root key {installed.RootKeyId} in {rootPath} (keep it offline); its public key for devices in {outPath}; " +
                    $"delegation v1 vouches for signing key {installed.ActiveKeyId} for {validFor.TotalDays:G4} days"));
            });
        foreach (Option o in new Option[] { RootKey, output, valid }) init.Options.Add(o);
        return init;
    }

    private static Command Rotate()
    {
        var cutoff = new Option<double>("--cutoff-hours") { Description = "How long devices still accept the old signing key(s), hours (the announced cutoff).", DefaultValueFactory = _ => 24 };
        Option<double> valid = ValidDays();
        Command rotate = CliCommand.Create("rotate",
            "Create a new online signing key and delegate it; the old key is accepted until the cutoff. Example: fleet keys rotate --root-key ~/offline/root.pem --cutoff-hours 24",
            async (parse, ctx, ct) =>
            {
                double hours = parse.GetValue(cutoff);
                if (!(hours >= 0)) throw new ArgumentException($"--cutoff-hours {hours}: give zero or more hours.");
                TimeSpan validFor = Days(parse.GetValue(valid));
                using ECDsa root = EcKeyFile.Load(parse.GetValue(RootKey)!);
                using OperatorConnection ops = FleetCommands.Connect(parse);
                Delegation current = await CurrentAsync(ops, root, ct);
                SigningKeyInfo created = await ops.Client.CreateSigningKeyAsync(new CreateSigningKeyRequest(), cancellationToken: ct);
                KeysInfo installed = await Publish(ops, root,
                    DelegationSigner.Rotate(current, created.PublicKeyDer.ToByteArray(), TimeSpan.FromHours(hours), validFor, DateTimeOffset.UtcNow), ct);
                ctx.EmitMessage(installed, o => o.WriteLine($"signing key {created.KeyId} delegated (delegation v{current.Version + 1}); " +
                    $"earlier keys accepted for {hours:G4} more hours; the server now signs with {installed.ActiveKeyId}"));
            });
        foreach (Option o in new Option[] { RootKey, cutoff, valid }) rotate.Options.Add(o);
        return rotate;
    }

    private static Command Revoke()
    {
        var keyId = new Argument<string>("key-id") { Description = "The signing key to revoke (its id, as `keys show` prints)." };
        Command revoke = CliCommand.Create("revoke",
            "Revoke a signing key: every device refuses it from its next contact on, even for an update already queued. Example: fleet keys revoke 3fa2c1d09b7e4a15 --root-key ~/offline/root.pem",
            async (parse, ctx, ct) =>
            {
                using ECDsa root = EcKeyFile.Load(parse.GetValue(RootKey)!);
                using OperatorConnection ops = FleetCommands.Connect(parse);
                Delegation current = await CurrentAsync(ops, root, ct);
                string id = parse.GetValue(keyId)!;
                KeysInfo installed = await Publish(ops, root, DelegationSigner.Revoke(current, id, DateTimeOffset.UtcNow), ct);
                ctx.EmitMessage(installed, o => o.WriteLine($"key {id} revoked (delegation v{current.Version + 1}); the server now signs with {installed.ActiveKeyId}"));
            });
        revoke.Arguments.Add(keyId);
        revoke.Options.Add(RootKey);
        return revoke;
    }

    private static Command Show()
    {
        Command show = CliCommand.Create("show", "The root key, the newest delegation and the key that signs now. Example: fleet keys show",
            async (parse, ctx, ct) =>
            {
                using OperatorConnection ops = FleetCommands.Connect(parse);
                KeysInfo info = await ops.Client.GetKeysAsync(new GetKeysRequest(), cancellationToken: ct);
                ctx.EmitMessage(info, o =>
                {
                    if (info.RootKeyId.Length == 0)
                    {
                        o.WriteLine($"no root key (run `fleet keys init`); signing with {info.ActiveKeyId}, which devices pin directly");
                        return;
                    }
                    Delegation d = Delegation.Parser.ParseFrom(info.Delegation.DelegationBytes);
                    o.WriteLine($"root {info.RootKeyId}; delegation v{d.Version} expires {EdgeSkyrmion.Edge.Updates.UpdateTrust.Instant(d.ExpiresUnixMs)}; signing with {(info.ActiveKeyId.Length > 0 ? info.ActiveKeyId : "no key (rotate)")}");
                    foreach (DelegatedKey k in d.Keys) o.WriteLine($"  delegated {k.KeyId} until {EdgeSkyrmion.Edge.Updates.UpdateTrust.Instant(k.NotAfterUnixMs)}");
                    foreach (string r in d.RevokedKeyIds) o.WriteLine($"  revoked   {r}");
                });
            });
        return show;
    }

    /// <summary>The installed delegation, checked against the operator's root before anything is built on it.</summary>
    private static async Task<Delegation> CurrentAsync(OperatorConnection ops, ECDsa root, CancellationToken ct)
    {
        KeysInfo info = await ops.Client.GetKeysAsync(new GetKeysRequest(), cancellationToken: ct);
        if (info.Delegation is null) throw new ArgumentException("the fleet has no root key yet: run `fleet keys init` first.");
        return EdgeSkyrmion.Edge.Updates.UpdateTrust.Open(info.Delegation, root.ExportSubjectPublicKeyInfo());
    }

    private static async Task<KeysInfo> Publish(OperatorConnection ops, ECDsa root, Delegation next, CancellationToken ct) =>
        await ops.Client.PublishDelegationAsync(new PublishDelegationRequest
        {
            Delegation = DelegationSigner.Sign(next, root), RootPublicKeyDer = Google.Protobuf.ByteString.CopyFrom(root.ExportSubjectPublicKeyInfo()),
        }, cancellationToken: ct);

    private static TimeSpan Days(double days) =>
        days > 0 && double.IsFinite(days) ? TimeSpan.FromDays(days) : throw new ArgumentException($"--valid-days {days}: give a positive number of days.");
}
