using System.CommandLine;
using EdgeSkyrmion.Cli;
using EdgeSkyrmion.Cloud.Personalization;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>`user add|upload|generate|list`: users, the device each wears, and their labelled samples, through the operator API.</summary>
public static class UserCommands
{
    internal static Option<string> UserOption() => new("--user") { Description = "User id.", Required = true };

    public static Command Build()
    {
        var user = new Command("user", "Register users and their devices, upload their labelled samples (through a running fleet server).");
        user.Options.Add(FleetCommands.Server);
        user.Options.Add(FleetCommands.TokenFile);
        user.Options.Add(FleetCommands.Ca);

        Option<string> user1 = UserOption();
        var device = new Option<string>("--device-id") { Description = "The device the user wears; registered with the fleet here if new.", Required = true };
        Command add = CliCommand.Create("add", "Register a user and the device they wear (prints the device token if the device is new). Example: user add --user alice --device-id wrist-0001",
            async (parse, ctx, ct) =>
            {
                using OperatorConnection ops = FleetCommands.Connect(parse);
                RegisterUserResponse r = await ops.Client.RegisterUserAsync(new RegisterUserRequest { UserId = parse.GetValue(user1)!, DeviceId = parse.GetValue(device)! }, cancellationToken: ct);
                ctx.EmitMessage(r, o => o.WriteLine($"user {r.User.UserId} wears {r.User.DeviceId}" + (r.DeviceToken.Length == 0 ? "" : $"; new device token {r.DeviceToken}")));
            });
        add.Options.Add(user1);
        add.Options.Add(device);

        Option<string> user2 = UserOption();
        var split = new Option<string>("--split") { Description = "train (fine-tuning) or test (scoring).", Required = true };
        var images = new Option<string>("--images") { Description = "IDX3 file of 28×28 unsigned-byte images (optionally .gz).", Required = true };
        var labels = new Option<string>("--labels") { Description = "IDX1 file of labels 0–9, one per image.", Required = true };
        Command upload = CliCommand.Create("upload", "Store a user's labelled samples (IDX pair, as MNIST). Example: user upload --user alice --split train --images a-images-idx3-ubyte --labels a-labels-idx1-ubyte",
            async (parse, ctx, ct) =>
            {
                SampleSplit s = Words.Split(parse.GetValue(split)!);
                IdxFile imageFile = IdxFile.Read(parse.GetValue(images)!, 3);
                IdxFile labelFile = IdxFile.Read(parse.GetValue(labels)!, 1);
                if (imageFile.Dimensions[1] != DigitSet.Side || imageFile.Dimensions[2] != DigitSet.Side)
                    throw new ArgumentException($"{imageFile.Path}: images are {imageFile.Dimensions[1]}×{imageFile.Dimensions[2]}, expected {DigitSet.Side}×{DigitSet.Side}.");
                if (imageFile.Dimensions[0] != labelFile.Dimensions[0])
                    throw new ArgumentException($"{imageFile.Dimensions[0]} images but {labelFile.Dimensions[0]} labels.");
                using OperatorConnection ops = FleetCommands.Connect(parse);
                AddSamplesResponse r = await AddAsync(ops, parse.GetValue(user2)!, s, imageFile.Data, labelFile.Data, ct).ConfigureAwait(false);
                ctx.EmitMessage(r, o => o.WriteLine($"stored {r.Added} {parse.GetValue(split)} samples for {r.UserId} ({r.Total} in all)"));
            });
        foreach (Option o in new Option[] { user2, split, images, labels }) upload.Options.Add(o);

        Option<string> user3 = UserOption();
        Option<string> data = CommonOptions.Data();
        var train = new Option<int>("--train") { Description = "Training samples to generate.", DefaultValueFactory = _ => UserDataSplit.DefaultTrain };
        var test = new Option<int>("--test") { Description = "Test samples to generate (disjoint from the training ones).", DefaultValueFactory = _ => UserDataSplit.DefaultTest };
        var mild = new Option<bool>("--mild") { Description = "Draw the style from the whole ranges instead of their outer part." };
        Command generate = CliCommand.Create("generate", "Generate a registered user's samples in their own handwriting style from the MNIST test images and store them. Example: user generate --user alice --data data/mnist",
            async (parse, ctx, ct) =>
            {
                string userId = parse.GetValue(user3)!;
                UserStyle style = UserStyle.ForUser(userId, strong: !parse.GetValue(mild));
                (DigitSet tr, DigitSet te) = UserDataSplit.Draw(userId, style, DigitSet.Load(parse.GetValue(data)!, DigitSplit.Test), parse.GetValue(train), parse.GetValue(test));
                using OperatorConnection ops = FleetCommands.Connect(parse);
                await AddAsync(ops, userId, SampleSplit.Train, tr.Images, tr.Labels, ct).ConfigureAwait(false);
                await AddAsync(ops, userId, SampleSplit.Test, te.Images, te.Labels, ct).ConfigureAwait(false);
                ctx.Emit(new { User = userId, Style = style, Train = tr.Count, Test = te.Count },
                    o => o.WriteLine($"{userId}: slant {style.SlantDeg:F1}°, rotation {style.RotationDeg:F1}°, thickness ×{style.Thickness:F2}, scale {style.Scale:F2}, elastic {style.ElasticAmplitudePx:F2} px; stored {tr.Count} train + {te.Count} test samples"));
            });
        foreach (Option o in new Option[] { user3, data, train, test, mild }) generate.Options.Add(o);

        Command list = CliCommand.Create("list", "List users and their devices. Example: user list --json",
            async (parse, ctx, ct) =>
            {
                using OperatorConnection ops = FleetCommands.Connect(parse);
                ListUsersResponse all = await ops.Client.ListUsersAsync(new ListUsersRequest(), cancellationToken: ct);
                ctx.EmitMessage(all, o => { foreach (User u in all.Users) o.WriteLine($"{u.UserId,-20} {u.DeviceId}"); });
            });

        foreach (Command c in new[] { add, upload, generate, list }) user.Subcommands.Add(c);
        return user;
    }

    private static async Task<AddSamplesResponse> AddAsync(OperatorConnection ops, string userId, SampleSplit split, byte[] images, byte[] labels, CancellationToken ct) =>
        await ops.Client.AddSamplesAsync(new AddSamplesRequest
        {
            UserId = userId, Split = split, Images = ByteString.CopyFrom(images), Labels = ByteString.CopyFrom(labels),
        }, cancellationToken: ct);
}
