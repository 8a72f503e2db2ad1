using Google.Protobuf;
using System.Diagnostics;
using System.Text.Json;
using EdgeSkyrmion.Cli;
using EdgeSkyrmion.Cloud.Conversion;
using EdgeSkyrmion.Cloud.Data;
using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Harness.Demo;

/// <summary>
/// The README's main job on one machine: train, convert to 13 skyrmion levels, start the cloud server and a wearable
/// as separate processes on loopback, flash the base model, infer on the wearable, train further, push the change
/// as a signed sparse delta, and infer again.
/// </summary>
public sealed class EndToEndDemo(CliContext ctx)
{
    public sealed record Settings(string DataDirectory, string WorkDirectory, int Epochs, int UpdateEpochs, int Levels, string Preset,
        int InferenceImages, int Timesteps, int ScanImages, bool Tls = true);

    public sealed record Result(double AnnAccuracyBefore, double AnnAccuracyAfter, double AccuracyBefore, double AccuracyAfter, int InferenceImages,
        long DeltaBytes, long FullImageBytes, long SynapsesChanged, long SynapsesTotal, long Pulses, double UpdateEnergyFj,
        double EstimatedUpdateEnergyFj, double FullImageEnergyFj, double UpdateSeconds, double ProgrammingSeconds, double EnergyPerInferenceFj,
        double TotalSeconds);

    private const string DeviceId = "wrist-demo-1";
    private const string ModelId = "mnist-mlp";

    public async Task<Result> RunAsync(Settings s, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(s.WorkDirectory);
        await new MnistFetcher(ctx.Info).FetchAsync(s.DataDirectory, ct).ConfigureAwait(false);
        DigitSet train = DigitSet.Load(s.DataDirectory, DigitSplit.Train);
        DigitSet test = DigitSet.Load(s.DataDirectory, DigitSplit.Test);

        ctx.Info($"1/6 training the base ANN ({s.Epochs} epochs)");
        ModelFile baseModel = Train(new TrainingOptions { Epochs = s.Epochs }, train, test, out double annBefore);
        ctx.Info($"2/6 converting to L = {s.Levels} on preset {s.Preset} (σ scanned on {s.ScanImages} held-out training images)");
        SignedLevels levels = SignedLevels.FromPreset(Presets.Get(s.Preset), s.Levels);
        NormalizationKind kind = NormalizationKind.Percentile999;
        double[] factors = ActivationNormalization.Factors(baseModel, train.Take(10_000), kind);
        var converter = new SnnConverter(baseModel, factors, kind);
        SigmaScan.Result scan = ctx.WithProgress("σ scan", p => SigmaScan.Run(converter, levels, SigmaScan.HeldOut(train, s.ScanImages), s.Timesteps, 1, p));
        ModelImage v1 = Versioned(converter.Quantized(levels, scan.BestSigma, s.Timesteps), 1);
        string v1Path = Path.Combine(s.WorkDirectory, "v1.esmi");
        ModelImageFile.Write(v1, v1Path);

        ctx.Info($"3/6 training further ({s.UpdateEpochs} epoch, from the base weights) and converting with the same scaling");
        ModelFile updated = Train(new TrainingOptions { Epochs = s.UpdateEpochs, InitialModel = baseModel, LearningRate = 0.02, Seed = 2 }, train, test, out double annAfter);
        ModelImage v2 = Versioned(new SnnConverter(updated, factors, kind).Quantized(levels, scan.BestSigma, s.Timesteps), 2);
        string v2Path = Path.Combine(s.WorkDirectory, "v2.esmi");
        ModelImageFile.Write(v2, v2Path);

        ctx.Info("4/6 starting the cloud server and provisioning the wearable (separate processes, loopback)");
        string db = Path.Combine(s.WorkDirectory, "fleet.db");
        foreach (string stale in Directory.GetFiles(s.WorkDirectory, "fleet.db*")) File.Delete(stale);
        string state = Path.Combine(s.WorkDirectory, "wearable");
        if (Directory.Exists(state)) Directory.Delete(state, recursive: true);
        Uri grpc = CloudServerProcess.LoopbackUrl(s.Tls), http1 = CloudServerProcess.LoopbackUrl(s.Tls);
        using ChildProcess server = await CloudServerProcess.StartAsync(grpc, http1, db, ct).ConfigureAwait(false);
        using var ops = CloudServerProcess.Operator(grpc, db);
        RegisterDeviceResponse registered = await ops.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = DeviceId }, cancellationToken: ct);
        SigningKeyInfo key = await ops.Client.GetSigningKeyAsync(new GetSigningKeyRequest(), cancellationToken: ct);
        string keyPath = Path.Combine(s.WorkDirectory, "cloud-key.der");
        await File.WriteAllBytesAsync(keyPath, key.PublicKeyDer.ToByteArray(), ct).ConfigureAwait(false);
        ChildProcess.Run("edge.dll", "provision", "--state", state, "--device-id", DeviceId, "--preset", s.Preset);
        ChildProcess.Run("edge.dll", ["trust", "--state", state, "--cloud-key", keyPath, "--token", registered.Token, .. s.Tls ? new[] { "--ca", CloudServerProcess.CaBeside(db) } : []]);
        await ops.Client.PublishModelAsync(new PublishModelRequest { Image = v1.ToByteString() }, cancellationToken: ct);
        await ops.Client.PublishModelAsync(new PublishModelRequest { Image = v2.ToByteString() }, cancellationToken: ct);

        ctx.Info("5/6 flashing v1 with tools/flash, then inferring on the wearable");
        string signedImage = Path.Combine(s.WorkDirectory, "v1.signed");
        await File.WriteAllBytesAsync(signedImage, (await ops.Client.IssueImageAsync(new IssueImageRequest { DeviceId = DeviceId, ModelId = ModelId, Version = 1 }, cancellationToken: ct)).ToByteArray(), ct).ConfigureAwait(false);
        using JsonDocument flash = JsonDocument.Parse(ChildProcess.Run("flash.dll", "--artifact", signedImage, "--state", state, "--json"));
        double fullEnergyFj = flash.RootElement.GetProperty("energy_fj").GetDouble();
        JsonElement before = Infer(state, s);

        ctx.Info("6/6 pushing v2 as a signed delta over gRPC to the running wearable, then inferring again");
        RolloutStatus status;
        var push = Stopwatch.StartNew();
        using (ChildProcess edge = ChildProcess.Start("edge.dll", echo: true, "run", "--cloud", grpc.ToString(), "--device-id", DeviceId, "--state", state))
        {
            RolloutStatus rollout = await ops.Client.StartRolloutAsync(new StartRolloutRequest { ModelId = ModelId, Version = 2, DeviceIds = { DeviceId } }, cancellationToken: ct);
            status = await ops.WaitForRolloutAsync(rollout.RolloutId, TimeSpan.FromMinutes(5), ct).ConfigureAwait(false);
            push.Stop();
            edge.Stop();
        }
        if (status.Applied != 1) throw new InvalidOperationException($"the update was not applied: {status}\n{server.Stderr}");
        UpdateRecord update = (await ops.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = DeviceId }, cancellationToken: ct)).Updates.Last();
        JsonElement after = Infer(state, s);
        server.Stop();

        long synapses = v1.Layers.Sum(l => (long)l.Inputs * l.Outputs);
        return new Result(annBefore, annAfter, before.GetProperty("accuracy").GetDouble(), after.GetProperty("accuracy").GetDouble(), s.InferenceImages,
            update.Bytes, new FileInfo(signedImage).Length, update.SynapsesChanged, synapses,
            (long)update.Pulses, update.EnergyFj, update.EstimatedEnergyFj,
            fullEnergyFj, push.Elapsed.TotalSeconds, update.ProgrammingSeconds,
            after.GetProperty("energy_per_inference_fj").GetDouble(), clock.Elapsed.TotalSeconds);
    }

    private ModelFile Train(TrainingOptions options, DigitSet train, DigitSet test, out double accuracy)
    {
        MlpTrainer.Result r = ctx.WithProgress($"training {options.Epochs} epoch(s)", p =>
            new MlpTrainer(options).Train(train, test, (e, f) => p((e - 1 + f) / options.Epochs), e => ctx.Info($"   epoch {e.Epoch}: test accuracy {e.TestAccuracy:P2}")));
        accuracy = r.TestAccuracy;
        return r.Model;
    }

    private static ModelImage Versioned(ModelImage image, ulong version)
    {
        image.ModelId = ModelId;
        image.Version = version;
        return image;
    }

    private JsonElement Infer(string state, Settings s)
    {
        using JsonDocument doc = JsonDocument.Parse(ChildProcess.Run("edge.dll", "infer", "--state", state, "--data", s.DataDirectory,
            "--count", s.InferenceImages.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--timesteps", s.Timesteps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json"));
        ctx.Info($"   wearable accuracy {doc.RootElement.GetProperty("accuracy").GetDouble():P2} on {s.InferenceImages} test images");
        return doc.RootElement.Clone();
    }

}
