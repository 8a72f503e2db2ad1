using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Cloud.Conversion;
using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Data;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>`train`: full-precision SGD of the paper's ANN on an IDX dataset, saved as a model file.</summary>
public static class TrainCommand
{
    /// <summary>With a validation split, History's per-epoch accuracy is on the validation images; TestAccuracy is scored once at the end.</summary>
    public sealed record Output(string Model, double TestAccuracy, int Epochs, double SecondsPerEpoch, int TrainImages,
        int TestImages, string Architecture, IReadOnlyList<MlpTrainer.EpochReport> History, int ValidationImages, double? ValidationAccuracy);

    public static Command Build()
    {
        Option<string> data = CommonOptions.Data();
        var epochs = new Option<int>("--epochs") { Description = "Training epochs (paper: 15).", DefaultValueFactory = _ => 15 };
        var seed = new Option<long>("--seed") { Description = "Random seed (weights, shuffling, dropout).", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Model file to write.", Required = true };
        var hidden = new Option<string>("--hidden") { Description = "Hidden layer sizes, comma separated.", DefaultValueFactory = _ => "1200,1200" };
        var lr = new Option<double>("--lr") { Description = "SGD learning rate.", DefaultValueFactory = _ => new TrainingOptions().LearningRate };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum.", DefaultValueFactory = _ => new TrainingOptions().Momentum };
        var dropout = new Option<double>("--dropout") { Description = "Dropout after each hidden layer (0 = off).", DefaultValueFactory = _ => new TrainingOptions().Dropout };
        var constantLr = new Option<bool>("--constant-lr") { Description = "Keep the learning rate constant instead of annealing it along a half cosine." };
        var shift = new Option<int>("--shift") { Description = "Translate training images by up to ± this many pixels (augmentation; 0 = off).", DefaultValueFactory = _ => new TrainingOptions().ShiftPixels };
        var limit = new Option<int?>("--limit") { Description = "Train on the first N images only (smoke runs)." };
        var validation = new Option<int>("--validation") { Description = "Hold out the last N training images to report per epoch (0: report the test set per epoch, as before).", DefaultValueFactory = _ => ValidationSplit.DefaultCount };
        var init = new Option<string?>("--init") { Description = "Continue from this model file's weights instead of a fresh initialisation." };
        var spikingAware = new Option<bool>("--spiking-aware") { Description = "Train the spiking network it becomes: QCFS activations (Bu et al. 2022), weights quantized to the device levels of --states/--levels, read-noise injection; convert then needs no σ scan and runs at T = --qcfs-steps." };
        var qcfsSteps = new Option<int>("--qcfs-steps") { Description = "Spiking-aware: QCFS activation steps L (the timesteps it is trained for).", DefaultValueFactory = _ => 4 };
        var states = new Option<string>("--states") { Description = "Spiking-aware: the device preset whose levels the weights are quantized to.", DefaultValueFactory = _ => "mml4-300K" };
        var levels = new Option<int>("--levels") { Description = "Spiking-aware: signed levels L = 2X+1.", DefaultValueFactory = _ => 13 };
        var weightSigma = new Option<double>("--weight-sigma") { Description = "Spiking-aware: threshold scale σ ≥ 1 of the quantization (1: the largest weight at the top level).", DefaultValueFactory = _ => 1 };
        var noReadNoise = new Option<bool>("--no-read-noise") { Description = "Spiking-aware: train without injecting the preset's read spread." };

        Command command = CliCommand.Create("train",
            "Train the 784-1200-1200-10 ReLU ANN (no biases) with SGD. Example: train --data data/mnist --epochs 15 --out out/base.eskm --json",
            (parse, ctx, _) =>
            {
                var options = new TrainingOptions
                {
                    Epochs = parse.GetValue(epochs),
                    Seed = parse.GetValue(seed),
                    HiddenSizes = TrainingOptions.ParseSizes(parse.GetValue(hidden)!, "--hidden"),
                    LearningRate = parse.GetValue(lr),
                    Momentum = parse.GetValue(momentum),
                    Dropout = parse.GetValue(dropout),
                    TrainLimit = parse.GetValue(limit),
                    InitialModel = parse.GetValue(init) is { } start ? ModelFile.Load(start) : null,
                    CosineSchedule = !parse.GetValue(constantLr),
                    ShiftPixels = parse.GetValue(shift),
                    SpikingAware = parse.GetValue(spikingAware)
                        ? SpikingAwareLevels.Options(Presets.Get(parse.GetValue(states)!), parse.GetValue(levels), parse.GetValue(qcfsSteps),
                            parse.GetValue(weightSigma), readNoise: !parse.GetValue(noReadNoise))
                        : null,
                };
                options.Validate();
                string dataDir = parse.GetValue(data)!;
                DigitSet train = DigitSet.Load(dataDir, DigitSplit.Train);
                DigitSet test = DigitSet.Load(dataDir, DigitSplit.Test);
                int held = parse.GetValue(validation);
                DigitSet? validationSet = null;
                if (held != 0) (train, validationSet) = ValidationSplit.Carve(train, held);
                string scoredOn = validationSet is null ? "test" : "validation";
                string outPath = parse.GetValue(output)!;
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);

                MlpTrainer.Result result = ctx.WithProgress($"training {options.Epochs} epochs", report =>
                    new MlpTrainer(options).Train(train, validationSet ?? test,
                        (epoch, fraction) => report((epoch - 1 + fraction) / options.Epochs),
                        e => ctx.Info($"epoch {e.Epoch}: loss {e.TrainLoss:F4}, {scoredOn} accuracy {e.TestAccuracy:P2}, {e.Seconds:F1} s")));
                ModelFile model = result.Model;
                double testAccuracy = result.TestAccuracy;
                if (validationSet is not null)
                {
                    testAccuracy = MlpTrainer.Evaluate(model, test);
                    model = ValidationSplit.Scored(model, result.TestAccuracy, testAccuracy, validationSet.Count);
                }
                model.Save(outPath);
                var outcome = new Output(outPath, testAccuracy, options.Epochs, result.SecondsPerEpoch,
                    train.Take(options.TrainLimit).Count, test.Count, model.Metadata["architecture"], result.Epochs,
                    validationSet?.Count ?? 0, validationSet is null ? null : result.TestAccuracy);
                ctx.Emit(outcome, o => o.WriteLine(
                    $"{outcome.Architecture}: test accuracy {outcome.TestAccuracy:P2} after {outcome.Epochs} epochs" +
                    (outcome.ValidationAccuracy is double v ? $" (validation {v:P2} on {outcome.ValidationImages} held-out training images)" : "") +
                    $" ({outcome.SecondsPerEpoch:F1} s/epoch) -> {outPath}"));
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { data, epochs, seed, output, hidden, lr, momentum, dropout, constantLr, shift, limit, validation, init, spikingAware, qcfsSteps, states, levels, weightSigma, noReadNoise }) command.Options.Add(o);
        return command;
    }
}
