using EdgeSkyrmion.Cli;
using System.CommandLine;
using System.Globalization;
using EdgeSkyrmion.Cloud.Conversion;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>`sweep-timesteps`: accuracy against T for converted images side by side (standard vs spiking-aware), with read noise and read energy.</summary>
public static class SweepTimestepsCommand
{
    public sealed record Output(IReadOnlyList<TimestepSweep.Point> Points, int TestImages, bool ReadNoise, IReadOnlyList<string> Files, double Seconds);

    public static Command Build()
    {
        var artifacts = new Option<string>("--artifacts") { Description = "Converted model images to compare, comma separated.", Required = true };
        var names = new Option<string?>("--names") { Description = "A name per image, comma separated (default: the file names)." };
        var timesteps = new Option<string>("--timesteps") { Description = "Timesteps T to evaluate, comma separated.", DefaultValueFactory = _ => "1,2,3,4,6,8,11,16,25" };
        Option<string> data = CommonOptions.Data();
        var count = new Option<int?>("--count") { Description = "Test images per evaluation (default: all)." };
        var readNoise = new Option<bool>("--read-noise") { Description = "Also read each image through the crossbar with device-to-device and cycle read noise." };
        var outDir = new Option<string>("--out-dir") { Description = "Folder for timesteps.csv, accuracy-vs-timesteps.png and energy-vs-accuracy.png.", DefaultValueFactory = _ => "out/timesteps" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the input spikes and of the chip's read noise.", DefaultValueFactory = _ => 1 };

        Command command = CliCommand.Create("sweep-timesteps",
            "Accuracy against timesteps T for converted images side by side, ideal and with read noise, and read energy per inference against accuracy (CSV + PNG). " +
            "Example: sweep-timesteps --artifacts out/l13.esmi,out/sa13.esmi --names standard,spiking-aware --read-noise --json",
            (parse, ctx, _) =>
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                string[] paths = Split(parse.GetValue(artifacts)!);
                string[] labels = parse.GetValue(names) is { } n ? Split(n) : [.. paths.Select(Path.GetFileNameWithoutExtension).Select(s => s!)];
                if (labels.Length != paths.Length || labels.Distinct().Count() != labels.Length)
                    throw new ArgumentException($"--names: give {paths.Length} distinct names, one per image (got {labels.Length}).");
                int[] steps = [.. Split(parse.GetValue(timesteps)!).Select(t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 1
                    ? v : throw new ArgumentException($"--timesteps {t}: expected a whole number ≥ 1."))];
                List<(string, ModelImage)> models = [.. paths.Select((p, i) => (labels[i], ModelImageFile.Read(p)))];
                DigitSet test = DigitSet.Load(parse.GetValue(data)!, DigitSplit.Test);
                int images = parse.GetValue(count) ?? test.Count;
                if (images < 1 || images > test.Count) throw new ArgumentException($"--count {images}: the test set holds {test.Count} images.");
                bool noise = parse.GetValue(readNoise);

                var sweep = new TimestepSweep(test, images, parse.GetValue(seed), noise);
                IReadOnlyList<TimestepSweep.Point> points = ctx.WithProgress("timestep sweep", report => sweep.Run(models, steps, report));
                string dir = parse.GetValue(outDir)!;
                Dictionary<string, double> ann = models.Where(m => m.Item2.AnnTestAccuracy > 0).ToDictionary(m => m.Item1, m => m.Item2.AnnTestAccuracy);
                IReadOnlyList<string> files = TimestepSweep.Save(points, dir, images, ann);
                var output = new Output(points, images, noise, files, clock.Elapsed.TotalSeconds);
                ctx.Emit(output, o =>
                {
                    foreach (TimestepSweep.Point p in points)
                        o.WriteLine($"{p.Model}, T = {p.Timesteps,3}: {p.Accuracy:P2}" + (p.ReadNoiseAccuracy is { } r ? $", read noise {r:P2}" : "") +
                            $", {p.ReadEnergyPerInferencePj:F1} pJ of reads per inference");
                    o.WriteLine($"-> {dir}");
                });
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { artifacts, names, timesteps, data, count, readNoise, outDir, seed }) command.Options.Add(o);
        return command;
    }

    private static string[] Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
