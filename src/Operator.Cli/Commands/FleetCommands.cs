using EdgeSkyrmion.DeviceModel.Energy;
using System.CommandLine;
using EdgeSkyrmion.Cli;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>
/// `fleet register|publish|models|rollout|rollout-status|rollout-pause|rollout-resume|rollout-cancel|rollout-rollback|rollback|device|devices|image|signing-key|keys|operator|audit`: the operator's verbs,
/// each one call of the operator contract (operator.proto) through its generated gRPC client.
/// </summary>
public static class FleetCommands
{
    /// <summary>`--server`: the fleet server's gRPC URL (serve's --urls); one instance shared by every command group that calls the server.</summary>
    public static readonly Option<string> Server = new("--server")
    {
        Description = "The fleet server's gRPC URL (serve's --urls).",
        DefaultValueFactory = _ => "https://127.0.0.1:5080",
        Recursive = true,
    };

    /// <summary>`--operator-token-file`, for any command that calls the operator API.</summary>
    public static readonly Option<string> TokenFile = new("--operator-token-file")
    {
        Description = $"File holding the operator token (serve creates it beside its database); default ${OperatorConnection.TokenFileVariable}, else out/fleet.operator-token.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(OperatorConnection.TokenFileVariable) is { Length: > 0 } path ? path : "out/fleet.operator-token",
    };

    /// <summary>`--ca`: the fleet's CA certificate the CLI pins for https servers.</summary>
    public static readonly Option<string?> Ca = new("--ca")
    {
        Description = $"The fleet server's CA certificate (PEM) to pin; default ${OperatorConnection.CaFileVariable}, else NAME.tls-ca.pem beside the operator token file.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(OperatorConnection.CaFileVariable) is { Length: > 0 } path ? path : null,
    };

    /// <summary>A connection to the server named by a command's --server, --operator-token-file and --ca.</summary>
    public static OperatorConnection Connect(ParseResult parse)
    {
        string url = parse.GetValue(Server)!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"--server {url}: give the fleet server's gRPC URL, e.g. https://127.0.0.1:5080.");
        return OperatorConnection.FromTokenFile(uri, parse.GetValue(TokenFile)!, parse.GetValue(Ca));
    }

    public static Command Build()
    {
        var fleet = new Command("fleet", "Register devices, publish model versions and roll them out through a running fleet server.");
        fleet.Options.Add(Server);
        fleet.Options.Add(TokenFile);
        fleet.Options.Add(Ca);
        Command rollout = Rollout();
        // `fleet rollout status|pause|resume|cancel` and the older hyphenated `fleet rollout-status|…` are the same commands.
        foreach (string verb in new[] { "status", "pause", "resume", "cancel" })
        {
            Command c = Steering("rollout-" + verb);
            Command sub = new(verb, c.Description);
            foreach (Option o in c.Options) sub.Options.Add(o);
            sub.Action = c.Action;
            rollout.Subcommands.Add(sub);
        }
        foreach (Command c in new[] { Register(), Publish(), Models(), rollout, Steering("rollout-status"), Steering("rollout-pause"), Steering("rollout-resume"),
                     Steering("rollout-cancel"),
                     RolloutAction("rollout-rollback", "Roll a rollout's devices back: republish the previous version as the next one and roll it out to every device that applied the rollout.",
                         (ops, r, ct) => ops.Client.RollBackRolloutAsync(r, cancellationToken: ct).ResponseAsync),
                     RollBack(), Device(), Devices(), Image(), SigningKey(), KeysCommands.Build(), AccessCommands.Operators(), AccessCommands.Audit() }) fleet.Subcommands.Add(c);
        return fleet;
    }

    /// <summary>The commands that look at or steer one rollout, by their hyphenated name.</summary>
    private static Command Steering(string name) => name switch
    {
        "rollout-status" => RolloutStatus(),
        "rollout-pause" => RolloutAction(name, "Pause a rollout in progress: devices not yet sent their update wait; an update already sent finishes.",
            (ops, r, ct) => ops.Client.PauseRolloutAsync(r, cancellationToken: ct).ResponseAsync),
        "rollout-resume" => RolloutAction(name, "Resume a paused rollout.", (ops, r, ct) => ops.Client.ResumeRolloutAsync(r, cancellationToken: ct).ResponseAsync),
        "rollout-cancel" => RolloutAction(name, "Abort a rollout: devices not yet sent their update get nothing; an update already sent finishes.",
            (ops, r, ct) => ops.Client.CancelRolloutAsync(r, cancellationToken: ct).ResponseAsync),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a rollout-steering command"),
    };

    private static Command Register()
    {
        var deviceId = new Option<string>("--device-id") { Description = "Device identity.", Required = true };
        var saveTo = new Option<string?>("--credentials-dir") { Description = "Also save the token and the device's client certificate and key (mutual TLS) as owner-only files in this new folder, for `edge trust`." };
        Command register = CliCommand.Create("register", "Register a device; prints its token once. Example: fleet register --device-id wrist-0001 --credentials-dir out/wrist-0001-credentials",
            async (parse, ctx, ct) =>
            {
                string? folder = parse.GetValue(saveTo);
                if (folder is not null && Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
                    throw new ArgumentException($"--credentials-dir {folder} is not empty: give a new folder (credentials are never overwritten).");
                using OperatorConnection ops = Connect(parse);
                RegisterDeviceResponse r = await ops.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = parse.GetValue(deviceId)! }, cancellationToken: ct);
                if (folder is not null) DeviceCredentialFiles.Save(folder, r);
                ctx.EmitMessage(r, o => o.WriteLine($"registered {r.DeviceId}; token {r.Token}" +
                    (r.ClientCertificatePem.Length > 0 ? folder is null ? "; a client certificate was issued (save it with --credentials-dir or --json)" : $"; token and client certificate saved in {folder}" : "")));
            });
        register.Options.Add(deviceId);
        register.Options.Add(saveTo);
        return register;
    }

    private static Command Publish()
    {
        var artifact = new Option<string>("--artifact") { Description = "Model image file (convert --out).", Required = true };
        var modelId = new Option<string?>("--model-id") { Description = "Publish under this model id (default: the image's own)." };
        var version = new Option<ulong?>("--version") { Description = "Publish as this version (must be newer than every published one; default: the image's own)." };
        var next = new Option<bool>("--next") { Description = "Publish as the next version of the model id (latest published + 1)." };
        Command publish = CliCommand.Create("publish",
            "Publish a model image as a version of a model. Example: fleet publish --artifact out/retrained.img --model-id mnist --next",
            async (parse, ctx, ct) =>
            {
                if (parse.GetValue(next) && parse.GetValue(version) is not null) throw new ArgumentException("give --version or --next, not both.");
                ModelImage image = ModelImageFile.Read(parse.GetValue(artifact)!);
                if (parse.GetValue(modelId) is { } id) image.ModelId = id;
                using OperatorConnection ops = Connect(parse);
                if (parse.GetValue(next))
                {
                    ListModelsResponse published = await ops.Client.ListModelsAsync(new ListModelsRequest { ModelId = image.ModelId }, cancellationToken: ct);
                    image.Version = (published.Models.Count == 0 ? 0 : published.Models.Max(m => m.Version)) + 1;
                }
                else if (parse.GetValue(version) is { } v)
                {
                    image.Version = v >= 1 ? v : throw new ArgumentException($"--version {v}: versions start at 1.");
                }
                ModelEntry e = await ops.Client.PublishModelAsync(new PublishModelRequest { Image = image.ToByteString() }, cancellationToken: ct);
                ctx.EmitMessage(e, o => o.WriteLine($"published {e.ModelId} v{e.Version} ({e.Shape}, {e.Levels} levels, preset {e.Preset}, {e.Bytes:N0} bytes)"));
            });
        foreach (Option o in new Option[] { artifact, modelId, version, next }) publish.Options.Add(o);
        return publish;
    }

    private static Command Models()
    {
        var modelId = new Option<string?>("--model-id") { Description = "Only this model id's versions." };
        Command models = CliCommand.Create("models", "List published model versions. Example: fleet models --model-id mnist",
            async (parse, ctx, ct) =>
            {
                using OperatorConnection ops = Connect(parse);
                ListModelsResponse r = await ops.Client.ListModelsAsync(new ListModelsRequest { ModelId = parse.GetValue(modelId) ?? "" }, cancellationToken: ct);
                ctx.EmitMessage(r, o =>
                {
                    foreach (ModelEntry m in r.Models)
                        o.WriteLine($"{m.ModelId,-20} v{m.Version,-4} {m.Shape,-16} {m.Levels,3} levels  {m.Preset,-12} {m.Bytes,12:N0} B  {DateTimeOffset.FromUnixTimeMilliseconds(m.PublishedUnixMs):u}");
                });
            });
        models.Options.Add(modelId);
        return models;
    }

    private static Command Rollout()
    {
        var modelId = new Option<string>("--model-id") { Description = "Published model id.", Required = true };
        var version = new Option<ulong>("--version") { Description = "Published model version.", Required = true };
        var devices = new Option<string?>("--devices") { Description = "Comma-separated device ids (default: every registered device)." };
        var groups = new Option<string?>("--groups") { Description = "Stages as cumulative percents of the devices, e.g. 1%,10%,100%: the next starts when the previous reached the success threshold." };
        var group = new Option<string[]>("--group") { Description = "A stage as comma-separated device ids; repeat for each stage, in order (instead of --groups and --devices)." };
        var success = new Option<string?>("--success-threshold") { Description = "Share of a group that must apply before the next group starts, e.g. 95% (default 100%)." };
        var error = new Option<string?>("--error-threshold") { Description = "Share of a group that may reject the update; more stops the rollout, e.g. 5% (default 100%: never stops)." };
        var dynamic = new Option<bool>("--dynamic") { Description = "Devices registered while the rollout runs join its last group (percent groups over every device)." };
        var wait = new Option<double>("--wait") { Description = "Seconds to wait for the rollout to finish (0 = return at once).", DefaultValueFactory = _ => 0 };
        Command rollout = CliCommand.Create("rollout",
            "Roll a model version out to devices, optionally in stages. Example: fleet rollout --model-id mnist --version 2 --groups 1%,10%,100% --success-threshold 95% --error-threshold 5%",
            async (parse, ctx, ct) =>
            {
                double seconds = parse.GetValue(wait);
                if (seconds < 0) throw new ArgumentException($"--wait {seconds}: must be ≥ 0.");
                var request = new StartRolloutRequest { ModelId = parse.GetValue(modelId)!, Version = parse.GetValue(version), Dynamic = parse.GetValue(dynamic) };
                request.DeviceIds.Add(Ids(parse.GetValue(devices)));
                if (parse.GetValue(groups) is not null && parse.GetValue(group) is { Length: > 0 })
                    throw new ArgumentException("give --groups (percents) or --group (device lists), not both.");
                if (parse.GetValue(groups) is { } percents) request.Groups.Add(Percent.Groups(percents, "--groups"));
                foreach (string list in parse.GetValue(group) ?? [])
                    request.Groups.Add(new RolloutGroupSpec { DeviceIds = { Ids(list) } });
                if (parse.GetValue(success) is { } s) request.SuccessThresholdPercent = Percent.Parse(s, "--success-threshold");
                if (parse.GetValue(error) is { } e) request.ErrorThresholdPercent = Percent.Parse(e, "--error-threshold");
                using OperatorConnection ops = Connect(parse);
                RolloutStatus status = await ops.Client.StartRolloutAsync(request, cancellationToken: ct);
                if (seconds > 0) status = await ops.WaitForRolloutAsync(status.RolloutId, TimeSpan.FromSeconds(seconds), ct).ConfigureAwait(false);
                ctx.EmitMessage(status, o => WriteStatus(o, status));
            });
        foreach (Option o in new Option[] { modelId, version, devices, groups, group, success, error, dynamic, wait }) rollout.Options.Add(o);
        return rollout;
    }

    private static Command RollBack()
    {
        var modelId = new Option<string>("--model-id") { Description = "Published model id.", Required = true };
        var to = new Option<ulong>("--to") { Description = "The published version to go back to.", Required = true };
        var devices = new Option<string?>("--devices") { Description = "Comma-separated device ids (default: every device holding the model at a newer version)." };
        Command rollback = CliCommand.Create("rollback",
            "Roll devices back to an earlier version as signed deltas (republished as the model's next version, since devices refuse older ones). Example: fleet rollback --model-id mnist --to 1",
            async (parse, ctx, ct) =>
            {
                var request = new RollBackModelRequest { ModelId = parse.GetValue(modelId)!, ToVersion = parse.GetValue(to) };
                request.DeviceIds.Add(Ids(parse.GetValue(devices)));
                using OperatorConnection ops = Connect(parse);
                RolloutStatus status = await ops.Client.RollBackModelAsync(request, cancellationToken: ct);
                ctx.EmitMessage(status, o => WriteStatus(o, status));
            });
        foreach (Option o in new Option[] { modelId, to, devices }) rollback.Options.Add(o);
        return rollback;
    }

    private static string[] Ids(string? list) => list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];


    private static Command RolloutStatus()
    {
        var rolloutId = new Option<string>("--rollout-id") { Description = "The rollout (fleet rollout prints its id).", Required = true };
        var watch = new Option<bool>("--watch") { Description = "Print a line each time the rollout moves, until it is over (succeeded, finished, stopped or cancelled)." };
        Command status = CliCommand.Create("rollout-status", "Each group's and each device's outcome in a rollout. Example: fleet rollout-status --rollout-id r-0123456789ab --watch",
            async (parse, ctx, ct) =>
            {
                using OperatorConnection ops = Connect(parse);
                var request = new GetRolloutRequest { RolloutId = parse.GetValue(rolloutId)! };
                // Watching polls the summary (counts only, cheap for any rollout size); the device list is read once, at the end.
                var progress = new GetRolloutRequest { RolloutId = request.RolloutId, Summary = true };
                string? shown = null;
                while (parse.GetValue(watch))
                {
                    RolloutStatus p = await ops.Client.GetRolloutAsync(progress, cancellationToken: ct);
                    string line = Line(p);
                    if (!ctx.Json && line != shown) ctx.Stdout.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} {line}");
                    shown = line;
                    if (p.State is not (RolloutState.InProgress or RolloutState.Paused)) break;
                    await Task.Delay(500, ct).ConfigureAwait(false);
                }
                RolloutStatus s = await ops.Client.GetRolloutAsync(request, cancellationToken: ct);
                ctx.EmitMessage(s, o =>
                {
                    WriteStatus(o, s);
                    foreach (RolloutDevice d in s.Devices)
                        o.WriteLine($"  {d.DeviceId,-20} group {d.Group,-3} {Words.Outcome(d.Outcome),-9} {d.Bytes,10:N0} B {(d.Reason.Length > 0 ? d.Reason : "")}");
                });
            });
        status.Options.Add(rolloutId);
        status.Options.Add(watch);
        return status;
    }

    private static Command RolloutAction(string name, string description, Func<OperatorConnection, RolloutActionRequest, CancellationToken, Task<RolloutStatus>> call)
    {
        var rolloutId = new Option<string>("--rollout-id") { Description = "The rollout (fleet rollout prints its id).", Required = true };
        Command command = CliCommand.Create(name, $"{description} Example: fleet {name} --rollout-id r-0123456789ab",
            async (parse, ctx, ct) =>
            {
                using OperatorConnection ops = Connect(parse);
                RolloutStatus s = await call(ops, new RolloutActionRequest { RolloutId = parse.GetValue(rolloutId)! }, ct).ConfigureAwait(false);
                ctx.EmitMessage(s, o => WriteStatus(o, s));
            });
        command.Options.Add(rolloutId);
        return command;
    }

    private static Command Device()
    {
        var deviceId = new Option<string>("--device-id") { Description = "Device identity.", Required = true };
        Command device = CliCommand.Create("device", "One device: what it holds, its health, and every update sent to it with its outcome. Example: fleet device --device-id wrist-0001",
            async (parse, ctx, ct) =>
            {
                using OperatorConnection ops = Connect(parse);
                DeviceDetail d = await ops.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = parse.GetValue(deviceId)! }, cancellationToken: ct);
                ctx.EmitMessage(d, o =>
                {
                    WriteDevice(o, d.Device);
                    foreach (UpdateRecord u in d.Updates)
                        o.WriteLine($"  {u.ModelId} v{u.BaseVersion}->v{u.NewVersion} {Words.Kind(u.Kind),-5} {Words.Outcome(u.Outcome),-9} {u.SynapsesChanged,9:N0} synapses {u.Bytes,11:N0} B " +
                            $"{Units.Nanojoules(u.Outcome == UpdateOutcome.Applied ? u.EnergyFj : u.EstimatedEnergyFj),10:F3} nJ{(u.Outcome == UpdateOutcome.Applied ? "" : " (estimate)")} {u.Reason}");
                });
            });
        device.Options.Add(deviceId);
        device.Subcommands.Add(RevokeDevice());
        device.Subcommands.Add(RotateDeviceToken());
        return device;
    }

    private static Command RevokeDevice()
    {
        var deviceId = new Argument<string>("device-id") { Description = "The device whose credentials are withdrawn." };
        Command revoke = CliCommand.Create("revoke", "Revoke a device: its open stream is closed and its next Hello refused. Example: fleet device revoke wrist-0001",
            async (parse, ctx, ct) =>
            {
                using OperatorConnection ops = Connect(parse);
                RevokeDeviceResponse r = await ops.Client.RevokeDeviceAsync(new RevokeDeviceRequest { DeviceId = parse.GetValue(deviceId)! }, cancellationToken: ct);
                ctx.EmitMessage(r, o => o.WriteLine($"revoked {r.DeviceId}{(r.WasConnected ? "; its open stream was closed" : "")}"));
            });
        revoke.Arguments.Add(deviceId);
        return revoke;
    }

    private static Command RotateDeviceToken()
    {
        var deviceId = new Argument<string>("device-id") { Description = "The device to issue a new token." };
        Command rotate = CliCommand.Create("rotate-token", "Issue a device a new token (printed once); the old one stops working. Example: fleet device rotate-token wrist-0001",
            async (parse, ctx, ct) =>
            {
                using OperatorConnection ops = Connect(parse);
                RegisterDeviceResponse r = await ops.Client.RotateDeviceTokenAsync(new RotateDeviceTokenRequest { DeviceId = parse.GetValue(deviceId)! }, cancellationToken: ct);
                ctx.EmitMessage(r, o => o.WriteLine($"new token for {r.DeviceId}: {r.Token} (give it to the device: edge trust --token)"));
            });
        rotate.Arguments.Add(deviceId);
        return rotate;
    }

    private static Command Devices() => CliCommand.Create("devices", "List registered devices, what they hold and their health. Example: fleet devices --json",
        async (parse, ctx, ct) =>
        {
            using OperatorConnection ops = Connect(parse);
            ListDevicesResponse all = await ops.Client.ListDevicesAsync(new ListDevicesRequest(), cancellationToken: ct);
            ctx.EmitMessage(all, o => { foreach (DeviceInfo d in all.Devices) WriteDevice(o, d); });
        });

    private static Command Image()
    {
        var deviceId = new Option<string>("--device-id") { Description = "The device the image is signed for.", Required = true };
        var modelId = new Option<string>("--model-id") { Description = "Published model id.", Required = true };
        var version = new Option<ulong>("--version") { Description = "Published model version.", Required = true };
        var output = new Option<string>("--out") { Description = "Signed image file for tools/flash.", Required = true };
        Command image = CliCommand.Create("image", "Issue a full signed image for one device (provisioning). Example: fleet image --device-id wrist-0001 --model-id mnist --version 1 --out out/wrist-0001.signed",
            async (parse, ctx, ct) =>
            {
                using OperatorConnection ops = Connect(parse);
                SignedUpdate signed = await ops.Client.IssueImageAsync(new IssueImageRequest
                {
                    DeviceId = parse.GetValue(deviceId)!, ModelId = parse.GetValue(modelId)!, Version = parse.GetValue(version),
                }, cancellationToken: ct);
                string path = parse.GetValue(output)!;
                byte[] bytes = signed.ToByteArray();
                await File.WriteAllBytesAsync(path, bytes, ct).ConfigureAwait(false);
                var result = new { File = path, Bytes = bytes.Length };
                ctx.Emit(result, o => o.WriteLine($"signed image for {parse.GetValue(deviceId)} written to {path} ({bytes.Length:N0} bytes)"));
            });
        foreach (Option o in new Option[] { deviceId, modelId, version, output }) image.Options.Add(o);
        return image;
    }

    private static Command SigningKey()
    {
        var output = new Option<string>("--out") { Description = "Where to write the public key (DER) devices pin.", Required = true };
        Command key = CliCommand.Create("signing-key", "Fetch the update-signing public key for provisioning. Example: fleet signing-key --out out/cloud-key.der",
            async (parse, ctx, ct) =>
            {
                using OperatorConnection ops = Connect(parse);
                SigningKeyInfo k = await ops.Client.GetSigningKeyAsync(new GetSigningKeyRequest(), cancellationToken: ct);
                await File.WriteAllBytesAsync(parse.GetValue(output)!, k.PublicKeyDer.ToByteArray(), ct).ConfigureAwait(false);
                ctx.EmitMessage(k, o => o.WriteLine($"signing key {k.KeyId} written to {parse.GetValue(output)}"));
            });
        key.Options.Add(output);
        return key;
    }

    private static void WriteStatus(TextWriter o, RolloutStatus s)
    {
        o.WriteLine(Line(s));
        if (s.StopReason.Length > 0) o.WriteLine($"  stopped: {s.StopReason}");
        if (s.Groups.Count > 1)
            foreach (RolloutGroup g in s.Groups)
                o.WriteLine($"  group {g.Group}: {Words.GroupState(g.State),-11} {g.Applied} applied, {g.Rejected} rejected, {g.Cancelled} cancelled, {Superseded(g.Superseded)}{g.Sent} in flight, {g.Pending} pending of {g.Devices}");
    }

    /// <summary>Superseded devices are named only when there are some (most rollouts have none).</summary>
    private static string Superseded(uint count) => count > 0 ? $"{count} superseded, " : "";

    private static string Line(RolloutStatus s)
    {
        string groups = s.Groups.Count > 1 ? $"; group {s.Groups.LastOrDefault(g => g.State != RolloutGroupState.Waiting)?.Group ?? 1} of {s.Groups.Count} open" : "";
        return $"rollout {s.RolloutId} ({s.ModelId} v{s.Version}): {Words.State(s.State)}; {s.Applied} applied, {s.Rejected} rejected, {s.Cancelled} cancelled, {Superseded(s.Superseded)}{s.Sent} in flight, {s.Pending} pending of {s.Pending + s.Sent + s.Applied + s.Rejected + s.Cancelled + s.Superseded}{groups}";
    }

    private static void WriteDevice(TextWriter o, DeviceInfo d) => o.WriteLine(
        $"{d.DeviceId,-20} {(d.ModelVersion == 0 ? "no model" : $"{d.ModelId} v{d.ModelVersion}"),-16} {Words.Health(d.Health),-9} failed {d.FailedDevices:N0}/{d.TotalDevices:N0}  " +
        $"lifetime {Units.Nanojoules(d.LifetimeEnergyFj):F3} nJ  last seen {(d.LastSeenUnixMs == 0 ? "never" : DateTimeOffset.FromUnixTimeMilliseconds(d.LastSeenUnixMs).ToString("u", System.Globalization.CultureInfo.InvariantCulture))}");
}
