using EdgeSkyrmion.Cli;
using System.CommandLine;
using System.Globalization;
using EdgeSkyrmion.Cloud.Conversion;
using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>`convert`: trained ANN → quantized, Dale-split, σ-scaled SNN model image.</summary>
public static class ConvertCommand
{
    public const int DefaultTimesteps = 100;
    public const int DefaultScanImages = 1000;

    public sealed record Output(string Artifact, string Levels, string Preset, string Sigma, double? SigmaValue,
        string Normalization, IReadOnlyList<double> NormalizationFactors, double? HeldOutAccuracy, int HeldOutImages,
        IReadOnlyList<SigmaScan.Point>? SigmaScan, int Timesteps, long Synapses, double AnnTestAccuracy, double Seconds);

    /// <summary>Options shared by convert and sweep.</summary>
    internal static Option<int> TimestepsOption(string description) =>
        new("--timesteps") { Description = description, DefaultValueFactory = _ => DefaultTimesteps };

    internal static Option<int> ScanImagesOption() => new("--scan-images")
    {
        Description = "Held-out training images (the last N of the training split) for the σ scan.",
        DefaultValueFactory = _ => DefaultScanImages,
    };

    internal static Option<string> NormalizationOption() => new("--normalization")
    {
        Description = "Data-based normalization: max (Diehl et al. 2015) or p99.9 (robust percentile).",
        DefaultValueFactory = _ => "p99.9",
    };

    internal static Option<int> NormalizationImagesOption() => new("--normalization-images")
    {
        Description = "Training images whose activations set the normalization factors (the first N).",
        DefaultValueFactory = _ => 10000,
    };

    public static Command Build()
    {
        var model = new Option<string>("--model") { Description = "Model file written by train (.eskm).", Required = true };
        var levels = new Option<string>("--levels") { Description = "Signed levels L = 2X+1 (odd, ≥ 1), or inf for full precision.", Required = true };
        var states = new Option<string?>("--states") { Description = "Quantize onto the states of this StateTable preset (name or file); default: uniform levels." };
        var sigma = new Option<string>("--sigma") { Description = "Threshold scale σ ≥ 1 over the direct conversion: auto (scan on held-out training images), direct (σ = 1), or a value.", DefaultValueFactory = _ => "auto" };
        var output = new Option<string>("--out") { Description = "Model image to write (serialized ModelImage protobuf).", Required = true };
        Option<string> data = CommonOptions.Data();
        Option<int> timesteps = TimestepsOption("Timesteps of the σ scan, stored in the image as its default.");
        Option<int> scanImages = ScanImagesOption();
        Option<string> normalization = NormalizationOption();
        Option<int> normalizationImages = NormalizationImagesOption();
        var scalingFrom = new Option<string?>("--scaling-from")
        {
            Description = "Reuse a published image's scaling (normalization factors, σ, preset, timesteps) so a retrained model differs from it only where its weights moved (a small delta).",
        };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the Poisson input during the σ scan.", DefaultValueFactory = _ => 1 };

        Command command = CliCommand.Create("convert",
            "Quantize a trained ANN to L device levels (Dale pairs W+/W-) and convert it to a σ-scaled SNN. " +
            "Example: convert --model out/base.eskm --levels 13 --states mml4-300K --sigma auto --out out/l13.esmi --json",
            (parse, ctx, _) =>
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                int? levelCount = ParseLevels(parse.GetValue(levels)!);
                string? preset = parse.GetValue(states);
                string sigmaText = parse.GetValue(sigma)!;
                double? sigmaValue = ParseSigma(sigmaText);
                int steps = parse.GetValue(timesteps);
                if (steps < 1) throw new ArgumentException($"--timesteps {steps}: must be at least 1.");
                SignedLevels? signed = levelCount is { } l
                    ? preset is null ? SignedLevels.Uniform(l) : SignedLevels.FromPreset(Presets.Get(preset), l)
                    : null;
                ModelFile ann = ModelFile.Load(parse.GetValue(model)!);
                if (parse.GetValue(scalingFrom) is { } like)
                {
                    ModelImage image0 = ScaledLike(ann, ModelImageFile.Read(like), levelCount, preset, like);
                    string likeOut = parse.GetValue(output)!;
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(likeOut))!);
                    ModelImageFile.Write(image0, likeOut);
                    var same = new Output(likeOut, image0.Levels.ToString(CultureInfo.InvariantCulture), image0.PresetName, "scaling-from", image0.Sigma, image0.Normalization,
                        [.. image0.Layers.Select(x => (double)x.NormalizationFactor)], null, 0, null, (int)image0.Timesteps, image0.Layers.Sum(x => (long)x.Inputs * x.Outputs),
                        image0.AnnTestAccuracy, clock.Elapsed.TotalSeconds);
                    ctx.Emit(same, o => o.WriteLine($"L = {same.Levels} ({same.Preset}), σ = {image0.Sigma:G4} and normalization from {like} -> {likeOut}"));
                    return Task.CompletedTask;
                }
                if (SpikingAwareOptions.Of(ann) is { } aware)
                {
                    if (parse.GetResult(timesteps) is null or { Implicit: true }) steps = aware.ActivationSteps;
                    ModelImage awareImage = SpikingAwareImage(ann, aware, signed, preset, steps, parse.GetValue(sigma)!);
                    string awareOut = parse.GetValue(output)!;
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(awareOut))!);
                    ModelImageFile.Write(awareImage, awareOut);
                    var trained = new Output(awareOut, awareImage.Levels.ToString(CultureInfo.InvariantCulture), awareImage.PresetName, "trained", awareImage.Sigma,
                        awareImage.Normalization, [.. awareImage.Layers.Select(x => (double)x.NormalizationFactor)], null, 0, null, steps,
                        awareImage.Layers.Sum(x => (long)x.Inputs * x.Outputs), awareImage.AnnTestAccuracy, clock.Elapsed.TotalSeconds);
                    ctx.Emit(trained, o => o.WriteLine($"spiking-aware: L = {trained.Levels} ({trained.Preset}), σ = {awareImage.Sigma:G4}, thresholds = trained clips, " +
                        $"constant-current input, T = {steps} -> {awareOut}"));
                    return Task.CompletedTask;
                }
                DigitSet train = DigitSet.Load(parse.GetValue(data)!, DigitSplit.Train);
                NormalizationKind kind = ActivationNormalization.Parse(parse.GetValue(normalization)!);
                SnnConverter converter = Converter(ann, train, kind, parse.GetValue(normalizationImages));

                SigmaScan.Result? scan = null;
                ModelImage image;
                if (signed is null)
                {
                    image = converter.FullPrecision(steps);
                }
                else
                {
                    if (sigmaText == "auto")
                    {
                        DigitSet heldOut = SigmaScan.HeldOut(train, parse.GetValue(scanImages));
                        scan = ctx.WithProgress($"σ scan, L = {signed.Levels}, {heldOut.Count} held-out training images",
                            report => SigmaScan.Run(converter, signed, heldOut, steps, parse.GetValue(seed), report));
                        sigmaValue = scan.BestSigma;
                    }
                    image = converter.Quantized(signed, sigmaValue ?? 1, steps);
                }
                string outPath = parse.GetValue(output)!;
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
                ModelImageFile.Write(image, outPath);

                var result = new Output(outPath, levelCount?.ToString(CultureInfo.InvariantCulture) ?? "inf", image.PresetName,
                    signed is null ? "none" : sigmaValue is null ? "direct" : sigmaText == "auto" ? "auto" : "value", signed is null ? null : sigmaValue ?? 1,
                    image.Normalization, converter.NormalizationFactors, scan?.BestAccuracy, scan?.HeldOutImages ?? 0, scan?.Points, steps,
                    image.Layers.Sum(x => (long)x.Inputs * x.Outputs), image.AnnTestAccuracy, clock.Elapsed.TotalSeconds);
                ctx.Emit(result, o => o.WriteLine(
                    $"L = {result.Levels} ({(result.Preset.Length == 0 ? "full precision" : result.Preset)}), σ = {(result.SigmaValue is { } s ? s.ToString("G4", CultureInfo.InvariantCulture) : result.Sigma)}" +
                    (scan is null ? "" : $", held-out accuracy {scan.BestAccuracy:P2}") + $" -> {outPath}"));
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { model, levels, states, sigma, output, data, timesteps, scanImages, normalization, normalizationImages, scalingFrom, seed })
            command.Options.Add(o);
        return command;
    }

    /// <summary>
    /// The image of a spiking-aware model: the levels, σ and clips it was trained with, so the conversion matches
    /// training; asking for other levels, another preset or a σ scan is refused rather than silently ignored.
    /// </summary>
    internal static ModelImage SpikingAwareImage(ModelFile ann, SpikingAwareOptions aware, SignedLevels? levels, string? preset, int steps, string sigma)
    {
        string trainedFor = $"the model was trained spiking-aware for {aware.Levels} levels on {aware.Preset}";
        if (levels is null || levels.Levels != aware.Levels) throw new ArgumentException($"--levels {levels?.Levels.ToString(CultureInfo.InvariantCulture) ?? "inf"}: {trainedFor}.");
        if (preset is null || Presets.Get(preset).Name != aware.Preset) throw new ArgumentException($"--states {preset ?? "(uniform)"}: {trainedFor}.");
        if (sigma != "auto" && ParseSigma(sigma) is { } s && s != aware.WeightSigma)
            throw new ArgumentException($"--sigma {sigma}: the model was trained at σ = {aware.WeightSigma.ToString("G4", CultureInfo.InvariantCulture)}; its conversion uses that.");
        return SnnConverter.SpikingAwareImage(ann, aware, steps);
    }

    /// <summary>Checks that <paramref name="held"/> can lend its scaling to <paramref name="ann"/>, then <see cref="SnnConverter.QuantizedLike"/>.</summary>
    internal static ModelImage ScaledLike(ModelFile ann, ModelImage held, int? levels, string? preset, string source)
    {
        if (held.Levels == ModelImageFile.FullPrecision || held.Sigma <= 0)
            throw new ArgumentException($"--scaling-from {source}: a quantized image converted with a fixed σ is needed (convert --sigma auto|VALUE).");
        if (levels != (int)held.Levels) throw new ArgumentException($"--levels {levels?.ToString(CultureInfo.InvariantCulture) ?? "inf"} differs from {source}'s {held.Levels}.");
        if (preset is not null && preset != held.PresetName) throw new ArgumentException($"--states {preset} differs from {source}'s preset {held.PresetName}.");
        if (held.Layers.Count != ann.LayerWeights().Count) throw new ArgumentException($"{source} has {held.Layers.Count} layers, the model {ann.LayerWeights().Count}.");
        return SnnConverter.QuantizedLike(ann, held);
    }

    /// <summary>Normalization factors from the first training images, and the converter over them.</summary>
    internal static SnnConverter Converter(ModelFile ann, DigitSet train, NormalizationKind kind, int images)
    {
        if (images < 1) throw new ArgumentException($"--normalization-images {images}: must be at least 1.");
        double[] factors = ActivationNormalization.Factors(ann, train.Take(images), kind);
        return new SnnConverter(ann, factors, kind);
    }

    /// <summary>L as an odd integer ≥ 1, or null for "inf" (full precision).</summary>
    internal static int? ParseLevels(string text)
    {
        if (text is "inf" or "∞") return null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int levels))
            throw new ArgumentException($"--levels {text}: expected an odd integer ≥ 1 or inf.");
        return SignedLevels.CheckLevels(levels);
    }

    private static double? ParseSigma(string text)
    {
        if (text is "auto" or "direct") return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double sigma) || !(sigma > 0) || !double.IsFinite(sigma))
            throw new ArgumentException($"--sigma {text}: expected auto, direct or a positive number.");
        return sigma;
    }
}
