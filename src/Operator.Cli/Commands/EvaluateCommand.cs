using EdgeSkyrmion.Cli;
using System.CommandLine;
using System.Globalization;
using EdgeSkyrmion.Cloud.Conversion;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>`evaluate`: test accuracy of a model image, run by the edge's event-driven engine.</summary>
public static class EvaluateCommand
{
    public sealed record Output(string Artifact, int Images, double Accuracy, int Timesteps, string Levels, string Preset, double Sigma,
        bool ReadNoise, int EarlyExitMargin, double SynapticEventsPerImage, double SpikesPerImage, double MeanDecidedStep,
        double MeanStepsRun, double SavedStepsPerImage, double ImagesPerSecond, int Threads, double AnnTestAccuracy);

    public static Command Build()
    {
        var artifact = new Option<string>("--artifact") { Description = "Model image written by convert.", Required = true };
        Option<string> data = CommonOptions.Data();
        var timesteps = new Option<int?>("--timesteps") { Description = "Timesteps per image (1 ms each); default: the image's." };
        var readNoise = new Option<bool>("--read-noise") { Description = "Read the devices like the preset's compact model: device-to-device offsets drawn once, cycle noise per read." };
        var count = new Option<int?>("--count") { Description = "Evaluate the first N test images only." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the Poisson input (image i uses seed + i) and of the device reads.", DefaultValueFactory = _ => 1 };
        var earlyExit = new Option<int>("--early-exit") { Description = "Stop an image once the leading class leads by this many output spikes (0 = run every step).", DefaultValueFactory = _ => 0 };

        Command command = CliCommand.Create("evaluate",
            "Classify the test set with the event-driven SNN engine the edge runs. " +
            "Example: evaluate --artifact out/l13.esmi --data data/mnist --timesteps 100 --read-noise --json",
            (parse, ctx, _) =>
            {
                string path = parse.GetValue(artifact)!;
                ModelImage image = ModelImageFile.Read(path);
                DigitSet test = DigitSet.Load(parse.GetValue(data)!, DigitSplit.Test);
                int steps = parse.GetValue(timesteps) ?? (image.Timesteps > 0 ? (int)image.Timesteps : ConvertCommand.DefaultTimesteps);
                if (steps < 1) throw new ArgumentException($"--timesteps {steps}: must be at least 1.");
                int n = parse.GetValue(count) ?? test.Count;
                if (n < 1 || n > test.Count) throw new ArgumentException($"--count {n}: the test set holds {test.Count} images.");
                int margin = parse.GetValue(earlyExit);
                if (margin < 0) throw new ArgumentException($"--early-exit {margin}: must be ≥ 0.");
                ulong s = parse.GetValue(seed);
                bool noisy = parse.GetValue(readNoise);

                SnnEvaluation.Result result = noisy
                    ? ctx.WithProgress($"evaluating {n} images with read noise",
                        report => new DeviceReadNoise(image, Presets.Get(image.PresetName), s).Evaluate(test, n, steps, s, margin, report))
                    : ctx.WithProgress($"evaluating {n} images",
                        report => SnnEvaluation.Evaluate(SpikingNetwork.FromImage(image), test, steps, s, margin, 0, n, report));
                var output = new Output(path, result.Images, result.Accuracy, steps,
                    image.Levels == ModelImageFile.FullPrecision ? "inf" : image.Levels.ToString(CultureInfo.InvariantCulture), image.PresetName,
                    image.Sigma, noisy, margin, result.SynapticEventsPerImage, result.SpikesPerImage, result.MeanDecidedStep, result.MeanStepsRun,
                    steps - result.MeanStepsRun, result.ImagesPerSecond, Environment.ProcessorCount, image.AnnTestAccuracy);
                ctx.Emit(output, o => o.WriteLine(
                    $"{path}: accuracy {output.Accuracy:P2} on {output.Images} images, T = {steps}{(noisy ? ", read noise" : "")}, " +
                    $"{output.SynapticEventsPerImage:F0} synaptic events/image, {output.ImagesPerSecond:F0} images/s"));
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { artifact, data, timesteps, readNoise, count, seed, earlyExit }) command.Options.Add(o);
        return command;
    }
}
