using EdgeSkyrmion.Cloud.Personalization;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeSkyrmion.Cli;
using EdgeSkyrmion.Cloud.Conversion;
using EdgeSkyrmion.Cloud.Data;
using EdgeSkyrmion.Harness.Demo;
using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Harness.Demo;

/// <summary>
/// The personalization flow on one machine: a base model (trained or given) converted to 13 skyrmion levels, the
/// cloud server and one wearable per generated user as separate processes on loopback, each wearable flashed with
/// the base image; then per user: styled samples stored, personalization planned, sent as a signed delta through the
/// rollout pipeline, and the user's test set classified on the wearable's crossbar before and after.
/// </summary>
public sealed class PersonalizationDemo(CliContext ctx)
{
    public sealed record Settings(string DataDirectory, string WorkDirectory, int Users, string? BaseModel, string? BaseImage, int Epochs,
        double? BudgetFj, FineTuner.Options FineTune, int Timesteps, int ScanImages);

    public sealed record UserResult(string User, string Device, UserStyle Style, double BaseAccuracy, double PersonalAccuracy, string EvaluatedWith,
        double DeviceAccuracyBefore, double DeviceAccuracyAfter, int SynapsesChanged, double SynapsesChangedFraction, double Pulses, double EnergyFj,
        double? DeviceEnergyFj, double FlashEnergyFj, double EnergyFractionOfFull, double? DeviceEnergyFractionOfFlash, int Bytes, double GainShareAtQuarterEnergy, bool Applied, string CurveCsv, string CurvePng, double JobSeconds);

    public sealed record Result(IReadOnlyList<UserResult> Users, string BaseModel, string BaseImage, string DeviceAccuracyMeasuredWith, double TotalSeconds);

    private const string BaseModelId = "mnist-base";

    public async Task<Result> RunAsync(Settings s, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(s.WorkDirectory);
        await new MnistFetcher(ctx.Info).FetchAsync(s.DataDirectory, ct).ConfigureAwait(false);
        DigitSet mnistTest = DigitSet.Load(s.DataDirectory, DigitSplit.Test);
        (ModelFile baseModel, string baseModelPath) = BaseModel(s);
        (ModelImage baseImage, string baseImagePath) = BaseImage(s, baseModel);

        ctx.Info($"starting the cloud server and {s.Users} wearables (separate processes, loopback)");
        string db = Path.Combine(s.WorkDirectory, "fleet.db");
        foreach (string stale in Directory.GetFiles(s.WorkDirectory, "fleet.db*")) File.Delete(stale);
        Uri grpc = CloudServerProcess.LoopbackUrl(), http1 = CloudServerProcess.LoopbackUrl();
        using ChildProcess server = await CloudServerProcess.StartAsync(grpc, http1, db, ct).ConfigureAwait(false);
        using var ops = CloudServerProcess.Operator(grpc, db);
        string keyPath = Path.Combine(s.WorkDirectory, "cloud-key.der");
        await File.WriteAllBytesAsync(keyPath, (await ops.Client.GetSigningKeyAsync(new GetSigningKeyRequest(), cancellationToken: ct)).PublicKeyDer.ToByteArray(), ct).ConfigureAwait(false);
        await ops.Client.PublishModelAsync(new PublishModelRequest { Image = baseImage.ToByteString() }, cancellationToken: ct);

        var prepared = new List<(string User, string Device, string State, string DataDir, UserStyle Style, double Before, double FlashFj)>();
        for (int u = 1; u <= s.Users; u++)
        {
            string user = $"user-{u}", device = $"wrist-{u}";
            string state = Path.Combine(s.WorkDirectory, "wearables", device);
            if (Directory.Exists(state)) Directory.Delete(state, recursive: true);
            ctx.Info($"{user}: registering {device}, flashing the base image, storing samples in the user's style");
            RegisterUserResponse registered = await ops.Client.RegisterUserAsync(new RegisterUserRequest { UserId = user, DeviceId = device }, cancellationToken: ct);
            ChildProcess.Run("edge.dll", "provision", "--state", state, "--device-id", device, "--preset", baseImage.PresetName, "--chip-seed", u.ToString(CultureInfo.InvariantCulture));
            ChildProcess.Run("edge.dll", "trust", "--state", state, "--cloud-key", keyPath, "--token", registered.DeviceToken, "--ca", CloudServerProcess.CaBeside(db));
            string signed = Path.Combine(s.WorkDirectory, $"{device}-base.signed");
            await File.WriteAllBytesAsync(signed, (await ops.Client.IssueImageAsync(new IssueImageRequest { DeviceId = device, ModelId = BaseModelId, Version = 1 }, cancellationToken: ct)).ToByteArray(), ct).ConfigureAwait(false);
            double flashFj;
            using (JsonDocument flash = JsonDocument.Parse(ChildProcess.Run("flash.dll", "--artifact", signed, "--state", state, "--json")))
                flashFj = flash.RootElement.GetProperty("energy_fj").GetDouble();
            UserStyle style = UserStyle.ForUser(user);
            (DigitSet train, DigitSet test) = UserDataSplit.Draw(user, style, mnistTest);
            await AddSamplesAsync(ops, user, SampleSplit.Train, train, ct).ConfigureAwait(false);
            await AddSamplesAsync(ops, user, SampleSplit.Test, test, ct).ConfigureAwait(false);
            string dataDir = Path.Combine(s.WorkDirectory, "users", user);
            WriteTestSplit(test, dataDir);
            prepared.Add((user, device, state, dataDir, style, Infer(state, dataDir, test.Count, s.Timesteps), flashFj));
        }

        var plans = new List<(UserUpdate.Plan Plan, RolloutStatus Status, double JobSeconds)>();
        var edges = prepared.Select(p => ChildProcess.Start("edge.dll", echo: false, "run", "--cloud", grpc.ToString(), "--device-id", p.Device, "--state", p.State)).ToList();
        try
        {
            foreach (var p in prepared) await WaitForHelloAsync(ops, p.Device, ct).ConfigureAwait(false);
            foreach (var p in prepared)
            {
                ctx.Info($"{p.User}: personalizing and sending the planned delta");
                var settings = new PersonalizationJob.Settings { FineTune = s.FineTune, BudgetFj = s.BudgetFj, SnnTimesteps = s.Timesteps };
                // The job alone (fine-tune, plan, score), what a trainer node spends per user.
                var job = Stopwatch.StartNew();
                UserUpdate.Plan plan = await UserUpdate.MakeAsync(ops, p.User, baseModel, settings, Path.Combine(s.WorkDirectory, "curves"), ctx.Info, ct).ConfigureAwait(false);
                double jobSeconds = job.Elapsed.TotalSeconds;
                plans.Add((plan, await UserUpdate.SendAsync(ops, plan, TimeSpan.FromMinutes(5), ct).ConfigureAwait(false), jobSeconds));
            }
        }
        finally
        {
            foreach (ChildProcess edge in edges) edge.Dispose();
        }

        var results = new List<UserResult>();
        for (int i = 0; i < prepared.Count; i++)
        {
            var p = prepared[i];
            (UserUpdate.Plan plan, RolloutStatus status, double jobSeconds) = plans[i];
            UserReport report = await ops.Client.GetUserReportAsync(new GetUserReportRequest { UserId = p.User }, cancellationToken: ct);
            double? deviceFj = report.UpdatesApplied > 0 ? report.EnergySpentFj : null;
            double after = Infer(p.State, p.DataDir, UserDataSplit.DefaultTest, s.Timesteps);
            results.Add(new UserResult(p.User, p.Device, p.Style, plan.BaseAccuracy, plan.ExpectedAccuracy, plan.EvaluatedWith, p.Before, after,
                plan.SynapsesChanged, plan.SynapsesChangedFraction, plan.Pulses, plan.EnergyFj, deviceFj, p.FlashFj, plan.EnergyFractionOfFull, deviceFj / p.FlashFj, plan.Bytes, plan.GainShareAtQuarterEnergy, status.Applied == 1, plan.CurveCsv, plan.CurvePng, jobSeconds));
        }
        server.Stop();
        return new Result(results, baseModelPath, baseImagePath, $"edge infer on the wearable's crossbar reads, {s.Timesteps} steps", clock.Elapsed.TotalSeconds);
    }

    private (ModelFile, string) BaseModel(Settings s)
    {
        if (s.BaseModel is { } given) return (ModelFile.Load(given), given);
        ctx.Info($"training the base ANN ({s.Epochs} epochs)");
        var options = new TrainingOptions { Epochs = s.Epochs };
        DigitSet train = DigitSet.Load(s.DataDirectory, DigitSplit.Train), test = DigitSet.Load(s.DataDirectory, DigitSplit.Test);
        MlpTrainer.Result r = ctx.WithProgress($"training {s.Epochs} epoch(s)", p => new MlpTrainer(options).Train(train, test, (e, f) => p((e - 1 + f) / s.Epochs)));
        string path = Path.Combine(s.WorkDirectory, "base.eskm");
        r.Model.Save(path);
        return (r.Model, path);
    }

    private (ModelImage, string) BaseImage(Settings s, ModelFile baseModel)
    {
        ModelImage image;
        if (s.BaseImage is { } given) image = ModelImageFile.Read(given);
        else
        {
            ctx.Info($"converting to L = 13 on {Presets.Default} (σ scanned on {s.ScanImages} held-out training images)");
            DigitSet train = DigitSet.Load(s.DataDirectory, DigitSplit.Train);
            double[] factors = ActivationNormalization.Factors(baseModel, train.Take(10_000), NormalizationKind.Percentile999);
            var converter = new SnnConverter(baseModel, factors, NormalizationKind.Percentile999);
            SignedLevels levels = SignedLevels.FromPreset(Presets.Get(Presets.Default), 13);
            SigmaScan.Result scan = ctx.WithProgress("σ scan", p => SigmaScan.Run(converter, levels, SigmaScan.HeldOut(train, s.ScanImages), s.Timesteps, 1, p));
            image = converter.Quantized(levels, scan.BestSigma, s.Timesteps);
        }
        image.ModelId = BaseModelId;
        image.Version = 1;
        string path = Path.Combine(s.WorkDirectory, "base-13.img");
        ModelImageFile.Write(image, path);
        return (image, path);
    }

    private static void WriteTestSplit(DigitSet test, string directory)
    {
        Directory.CreateDirectory(directory);
        (string images, string labels) = DigitSet.FileNames(DigitSplit.Test);
        IdxFile.Write(Path.Combine(directory, images), [test.Count, DigitSet.Side, DigitSet.Side], test.Images);
        IdxFile.Write(Path.Combine(directory, labels), [test.Count], test.Labels);
    }

    private double Infer(string state, string dataDir, int count, int timesteps)
    {
        using JsonDocument doc = JsonDocument.Parse(ChildProcess.Run("edge.dll", "infer", "--state", state, "--data", dataDir,
            "--count", count.ToString(CultureInfo.InvariantCulture), "--timesteps", timesteps.ToString(CultureInfo.InvariantCulture), "--json"));
        double accuracy = doc.RootElement.GetProperty("accuracy").GetDouble();
        ctx.Info($"   wearable accuracy {accuracy:P2} on {count} of the user's test images");
        return accuracy;
    }

    /// <summary>The planner diffs against what the server knows the device holds, which it learns from the device's hello.</summary>
    private static async Task WaitForHelloAsync(OperatorConnection ops, string device, CancellationToken ct)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while ((await ops.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = device }, cancellationToken: ct)).Device.ModelVersion != 1)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{device} did not report its base image within 2 minutes.");
            await Task.Delay(200, ct).ConfigureAwait(false);
        }
    }

    private static async Task AddSamplesAsync(OperatorConnection ops, string user, SampleSplit split, DigitSet set, CancellationToken ct) =>
        await ops.Client.AddSamplesAsync(new AddSamplesRequest { UserId = user, Split = split, Images = ByteString.CopyFrom(set.Images), Labels = ByteString.CopyFrom(set.Labels) }, cancellationToken: ct);
}
