using System.CommandLine;
using System.Text.Json;
using EdgeSkyrmion.Cloud.Fleet;

namespace EdgeSkyrmion.Cloud.Cli;

/// <summary>`fleet register|publish|rollout|devices|signing-key`: the operator's verbs against a running server.</summary>
public static class FleetCommands
{
    private static Option<string> ServerOption() => new("--server")
    {
        Description = "The server's HTTP/1.1 URL (serve's --http1-urls).",
        DefaultValueFactory = _ => "http://127.0.0.1:5081",
    };

    /// <summary>The operator credential, for every fleet subcommand; serve prints where it created it.</summary>
    private static readonly Option<string> TokenFile = TokenFileOption();

    /// <summary>`--operator-token-file`, for any command that calls the operator API.</summary>
    public static Option<string> TokenFileOption() => new("--operator-token-file")
    {
        Description = $"File holding the operator token (serve creates it beside its database); default ${OperatorToken.EnvironmentVariable}, else out/fleet.operator-token.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(OperatorToken.EnvironmentVariable) is { Length: > 0 } path ? path : "out/fleet.operator-token",
    };

    private static OperatorClient Client(ParseResult parse, Option<string> server) =>
        new(new Uri(parse.GetValue(server)!), OperatorToken.Read(parse.GetValue(TokenFile)!));

    public static Command Build()
    {
        var fleet = new Command("fleet", "Register devices, publish model images and roll them out through a running server.");
        fleet.Options.Add(TokenFile);

        Option<string> server = ServerOption();
        var deviceId = new Option<string>("--device-id") { Description = "Device identity.", Required = true };
        Command register = CliCommand.Create("register", "Register a device; prints its token once. Example: fleet register --device-id wrist-0001",
            async (parse, ctx, ct) =>
            {
                using var client = Client(parse, server);
                OperatorApi.RegisterResponse r = await client.RegisterAsync(parse.GetValue(deviceId)!, ct).ConfigureAwait(false);
                ctx.Emit(r, o => o.WriteLine($"registered {r.DeviceId}; token {r.Token}"));
            });
        register.Options.Add(server);
        register.Options.Add(deviceId);

        Option<string> server2 = ServerOption();
        var artifact = new Option<string>("--artifact") { Description = "Model image file (convert --out).", Required = true };
        Command publish = CliCommand.Create("publish", "Publish a model image. Example: fleet publish --artifact out/model-13.img",
            async (parse, ctx, ct) =>
            {
                string path = parse.GetValue(artifact)!;
                if (!File.Exists(path)) throw new FileNotFoundException($"artifact {path} does not exist.", path);
                using var client = Client(parse, server2);
                ModelCatalog.Entry e = await client.PublishAsync(await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                ctx.Emit(e, o => o.WriteLine($"published {e.ModelId} v{e.Version} ({e.Shape}, {e.Levels} levels, {e.Bytes} bytes)"));
            });
        publish.Options.Add(server2);
        publish.Options.Add(artifact);

        Option<string> server3 = ServerOption();
        var modelId = new Option<string>("--model-id") { Description = "Published model id.", Required = true };
        var version = new Option<ulong>("--version") { Description = "Published model version.", Required = true };
        var devices = new Option<string?>("--devices") { Description = "Comma-separated device ids (default: every registered device)." };
        var wait = new Option<double>("--wait") { Description = "Seconds to wait for the rollout to finish (0 = return at once).", DefaultValueFactory = _ => 0 };
        Command rollout = CliCommand.Create("rollout", "Roll a model version out to devices. Example: fleet rollout --model-id mnist --version 2 --wait 60",
            async (parse, ctx, ct) =>
            {
                using var client = Client(parse, server3);
                string[]? list = parse.GetValue(devices)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                OperatorApi.RolloutResponse r = await client.RolloutAsync(parse.GetValue(modelId)!, parse.GetValue(version), list, ct).ConfigureAwait(false);
                double seconds = parse.GetValue(wait);
                JsonElement status = seconds > 0
                    ? await client.WaitForRolloutAsync(r.RolloutId, TimeSpan.FromSeconds(seconds), ct).ConfigureAwait(false)
                    : await client.GetAsync($"api/rollouts/{r.RolloutId}", ct).ConfigureAwait(false);
                ctx.Emit(status, o => o.WriteLine(
                    $"rollout {r.RolloutId}: {status.GetProperty("applied").GetInt32()} applied, {status.GetProperty("rejected").GetInt32()} rejected, " +
                    $"{status.GetProperty("sent").GetInt32()} in flight, {status.GetProperty("pending").GetInt32()} pending of {r.Devices}"));
            });
        foreach (Option o in new Option[] { server3, modelId, version, devices, wait }) rollout.Options.Add(o);

        Option<string> server4 = ServerOption();
        Command list = CliCommand.Create("devices", "List registered devices and what they hold. Example: fleet devices --json",
            async (parse, ctx, ct) =>
            {
                using var client = Client(parse, server4);
                JsonElement all = await client.GetAsync("api/devices", ct).ConfigureAwait(false);
                ctx.Emit(all, o =>
                {
                    foreach (JsonElement d in all.EnumerateArray())
                        o.WriteLine($"{d.GetProperty("device_id").GetString(),-20} {d.GetProperty("model_id").GetString()} v{d.GetProperty("model_version").GetUInt64()}  failed {d.GetProperty("failed_devices").GetInt32()}/{d.GetProperty("total_devices").GetInt32()}  lifetime {d.GetProperty("lifetime_energy_fj").GetDouble():F0} fJ");
                });
            });
        list.Options.Add(server4);

        Option<string> server5 = ServerOption();
        var output = new Option<string>("--out") { Description = "Where to write the public key (DER) devices pin.", Required = true };
        Command key = CliCommand.Create("signing-key", "Fetch the update-signing public key for provisioning. Example: fleet signing-key --out out/cloud-key.der",
            async (parse, ctx, ct) =>
            {
                using var client = Client(parse, server5);
                OperatorApi.KeyResponse k = await client.SigningKeyAsync(ct).ConfigureAwait(false);
                await File.WriteAllBytesAsync(parse.GetValue(output)!, Convert.FromBase64String(k.PublicKeyDerBase64), ct).ConfigureAwait(false);
                ctx.Emit(k, o => o.WriteLine($"signing key {k.KeyId} written to {parse.GetValue(output)}"));
            });
        key.Options.Add(server5);
        key.Options.Add(output);

        Option<string> server6 = ServerOption();
        var imageDevice = new Option<string>("--device-id") { Description = "The device the image is signed for.", Required = true };
        var imageModel = new Option<string>("--model-id") { Description = "Published model id.", Required = true };
        var imageVersion = new Option<ulong>("--version") { Description = "Published model version.", Required = true };
        var imageOut = new Option<string>("--out") { Description = "Signed image file for tools/flash.", Required = true };
        Command image = CliCommand.Create("image", "Issue a full signed image for one device (provisioning). Example: fleet image --device-id wrist-0001 --model-id mnist --version 1 --out out/wrist-0001.signed",
            async (parse, ctx, ct) =>
            {
                using var client = Client(parse, server6);
                byte[] bytes = await client.SignedImageAsync(parse.GetValue(imageDevice)!, parse.GetValue(imageModel)!, parse.GetValue(imageVersion), ct).ConfigureAwait(false);
                string outPath = parse.GetValue(imageOut)!;
                await File.WriteAllBytesAsync(outPath, bytes, ct).ConfigureAwait(false);
                var result = new { file = outPath, bytes = bytes.Length };
                ctx.Emit(result, o => o.WriteLine($"signed image for {parse.GetValue(imageDevice)} written to {outPath} ({bytes.Length} bytes)"));
            });
        foreach (Option o in new Option[] { server6, imageDevice, imageModel, imageVersion, imageOut }) image.Options.Add(o);

        foreach (Command c in new[] { register, publish, rollout, list, key, image }) fleet.Subcommands.Add(c);
        return fleet;
    }
}
