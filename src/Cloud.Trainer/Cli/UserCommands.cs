using System.CommandLine;
using EdgeSkyrmion.Cloud.Fleet;
using EdgeSkyrmion.Cloud.Personalization;
using EdgeSkyrmion.Edge.Data;

namespace EdgeSkyrmion.Cloud.Cli;

/// <summary>`user add|upload|generate|list`: users, the device each wears, and their labelled samples in the fleet database.</summary>
public static class UserCommands
{
    internal static Option<string> DbOption() => new("--db")
    {
        Description = "The fleet database (serve's --db); users and samples live beside the fleet's tables.",
        DefaultValueFactory = _ => "out/fleet.db",
    };

    /// <summary>Opens an existing fleet database; only registering a user may create one.</summary>
    internal static FleetDatabase Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"fleet database {path} does not exist (serve --db or user add create it).", path);
        return new FleetDatabase(path);
    }

    internal static Option<string> UserOption() => new("--user") { Description = "User id.", Required = true };

    public static Command Build()
    {
        var user = new Command("user", "Register users and their devices, upload their labelled samples.");

        Option<string> db1 = DbOption(), user1 = UserOption();
        var device = new Option<string>("--device-id") { Description = "The device the user wears; registered with the fleet here if new.", Required = true };
        Command add = CliCommand.Create("add", "Register a user and the device they wear (prints the device token if the device is new). Example: user add --user alice --device-id wrist-0001",
            (parse, ctx, ct) =>
            {
                string deviceId = parse.GetValue(device)!, userId = parse.GetValue(user1)!;
                // Validated before the device is registered, so a bad user id leaves no new device behind.
                UserStore.CheckId(userId, "user id");
                UserStore.CheckId(deviceId, "device id");
                var fleet = new FleetDatabase(parse.GetValue(db1)!);
                var store = new UserStore(fleet);
                if (store.Find(userId) is not null) throw new ArgumentException($"user {userId} is already registered.");
                var registry = new DeviceRegistry(fleet);
                string? token = registry.Find(deviceId) is null ? registry.Register(deviceId) : null;
                UserStore.User u = store.Register(userId, deviceId);
                ctx.Emit(new { u.UserId, u.DeviceId, DeviceToken = token }, o => o.WriteLine($"user {u.UserId} wears {u.DeviceId}" + (token is null ? "" : $"; new device token {token}")));
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { db1, user1, device }) add.Options.Add(o);

        Option<string> db2 = DbOption(), user2 = UserOption();
        var split = new Option<string>("--split") { Description = "train (fine-tuning) or test (scoring).", Required = true };
        var images = new Option<string>("--images") { Description = "IDX3 file of 28×28 unsigned-byte images (optionally .gz).", Required = true };
        var labels = new Option<string>("--labels") { Description = "IDX1 file of labels 0–9, one per image.", Required = true };
        Command upload = CliCommand.Create("upload", "Store a user's labelled samples (IDX pair, as MNIST). Example: user upload --user alice --split train --images a-images-idx3-ubyte --labels a-labels-idx1-ubyte",
            (parse, ctx, ct) =>
            {
                DigitSplit s = UserStore.ParseSplit(parse.GetValue(split)!);
                IdxFile imageFile = IdxFile.Read(parse.GetValue(images)!, 3);
                IdxFile labelFile = IdxFile.Read(parse.GetValue(labels)!, 1);
                if (imageFile.Dimensions[1] != DigitSet.Side || imageFile.Dimensions[2] != DigitSet.Side)
                    throw new ArgumentException($"{imageFile.Path}: images are {imageFile.Dimensions[1]}×{imageFile.Dimensions[2]}, expected {DigitSet.Side}×{DigitSet.Side}.");
                if (imageFile.Dimensions[0] != labelFile.Dimensions[0])
                    throw new ArgumentException($"{imageFile.Dimensions[0]} images but {labelFile.Dimensions[0]} labels.");
                string userId = parse.GetValue(user2)!;
                int total = new UserStore(Open(parse.GetValue(db2)!)).AddSamples(userId, s, imageFile.Data, labelFile.Data);
                ctx.Emit(new { User = userId, Split = parse.GetValue(split), Added = labelFile.Data.Length, Total = total },
                    o => o.WriteLine($"stored {labelFile.Data.Length} {parse.GetValue(split)} samples for {userId} ({total} in all)"));
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { db2, user2, split, images, labels }) upload.Options.Add(o);

        Option<string> db3 = DbOption(), user3 = UserOption();
        Option<string> data = DataCommands.DataOption();
        var train = new Option<int>("--train") { Description = "Training samples to generate.", DefaultValueFactory = _ => UserDataSplit.DefaultTrain };
        var test = new Option<int>("--test") { Description = "Test samples to generate (disjoint from the training ones).", DefaultValueFactory = _ => UserDataSplit.DefaultTest };
        var mild = new Option<bool>("--mild") { Description = "Draw the style from the whole ranges instead of their outer part." };
        Command generate = CliCommand.Create("generate", "Generate a registered user's samples in their own handwriting style from the MNIST test images and store them. Example: user generate --user alice --data data/mnist",
            (parse, ctx, ct) =>
            {
                string userId = parse.GetValue(user3)!;
                var store = new UserStore(Open(parse.GetValue(db3)!));
                store.Get(userId);
                UserStyle style = UserStyle.ForUser(userId, strong: !parse.GetValue(mild));
                (DigitSet tr, DigitSet te) = UserDataSplit.Draw(userId, style, DigitSet.Load(parse.GetValue(data)!, DigitSplit.Test), parse.GetValue(train), parse.GetValue(test));
                store.AddSamples(userId, DigitSplit.Train, tr.Images, tr.Labels);
                store.AddSamples(userId, DigitSplit.Test, te.Images, te.Labels);
                ctx.Emit(new { User = userId, Style = style, Train = tr.Count, Test = te.Count },
                    o => o.WriteLine($"{userId}: slant {style.SlantDeg:F1}°, rotation {style.RotationDeg:F1}°, thickness ×{style.Thickness:F2}, scale {style.Scale:F2}, elastic {style.ElasticAmplitudePx:F2} px; stored {tr.Count} train + {te.Count} test samples"));
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { db3, user3, data, train, test, mild }) generate.Options.Add(o);

        Option<string> db4 = DbOption();
        Command list = CliCommand.Create("list", "List users and their devices. Example: user list --json",
            (parse, ctx, ct) =>
            {
                IReadOnlyList<UserStore.User> all = new UserStore(Open(parse.GetValue(db4)!)).All();
                ctx.Emit(new { Users = all }, o => { foreach (UserStore.User u in all) o.WriteLine($"{u.UserId,-20} {u.DeviceId}"); });
                return Task.CompletedTask;
            });
        list.Options.Add(db4);

        foreach (Command c in new[] { add, upload, generate, list }) user.Subcommands.Add(c);
        return user;
    }
}
