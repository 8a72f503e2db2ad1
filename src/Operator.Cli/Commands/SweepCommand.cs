using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Cloud.Conversion;
using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.Edge.Data;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>`sweep`: the paper's Fig. 7b (accuracy vs levels, direct vs σ-scaled) and accuracy vs timesteps.</summary>
public static class SweepCommand
{
    public sealed record Output(double AnnTestAccuracy, string Normalization, IReadOnlyList<LevelSweep.LevelPoint> Levels,
        IReadOnlyList<LevelSweep.TimestepPoint> Timesteps, int TestImages, int HeldOutImages, int SweepTimesteps,
        IReadOnlyList<string> Files, double Seconds);

    public static Command Build()
    {
        var model = new Option<string>("--model") { Description = "Model file written by train (.eskm).", Required = true };
        Option<string> data = CommonOptions.Data();
        var outDir = new Option<string>("--out-dir") { Description = "Folder for fig7b.csv/png, timesteps.csv/png and sweep.json.", DefaultValueFactory = _ => "out/sweep" };
        var count = new Option<int?>("--count") { Description = "Test images per evaluation (default: all)." };
        Option<int> timesteps = ConvertCommand.TimestepsOption("Timesteps of the level sweep and the σ scans.");
        Option<int> scanImages = ConvertCommand.ScanImagesOption();
        Option<string> normalization = ConvertCommand.NormalizationOption();
        Option<int> normalizationImages = ConvertCommand.NormalizationImagesOption();
        var seed = new Option<ulong>("--seed") { Description = "Seed of the Poisson input.", DefaultValueFactory = _ => 1 };

        Command command = CliCommand.Create("sweep",
            "Regenerate Fig. 7b (L = 1…65, ∞; direct vs σ-scaled) and accuracy vs T for L = 13 and ∞, as CSV + PNG + JSON. " +
            "Example: sweep --model out/base.eskm --data data/mnist --count 2000 --json",
            (parse, ctx, _) =>
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                ModelFile ann = ModelFile.Load(parse.GetValue(model)!);
                string dataDir = parse.GetValue(data)!;
                DigitSet train = DigitSet.Load(dataDir, DigitSplit.Train);
                DigitSet test = DigitSet.Load(dataDir, DigitSplit.Test);
                int n = parse.GetValue(count) ?? test.Count;
                if (n < 1 || n > test.Count) throw new ArgumentException($"--count {n}: the test set holds {test.Count} images.");
                int steps = parse.GetValue(timesteps);
                if (steps < 1) throw new ArgumentException($"--timesteps {steps}: must be at least 1.");
                NormalizationKind kind = ActivationNormalization.Parse(parse.GetValue(normalization)!);
                SnnConverter converter = ConvertCommand.Converter(ann, train, kind, parse.GetValue(normalizationImages));
                var sweep = new LevelSweep(converter, SigmaScan.HeldOut(train, parse.GetValue(scanImages)), test, n, steps, parse.GetValue(seed));

                LevelSweep.Result result = ctx.WithProgress("sweep", report => sweep.Run((stage, fraction) => report(fraction)));
                string dir = parse.GetValue(outDir)!;
                double annAccuracy = MlpTrainer.Evaluate(ann, test.Take(n));
                List<string> files = [.. LevelSweep.Save(result, dir, annAccuracy)];
                var output = new Output(annAccuracy, ActivationNormalization.Name(kind), result.Levels, result.Timesteps, n, result.HeldOutImages,
                    steps, [.. files, Path.Combine(dir, "sweep.json")], clock.Elapsed.TotalSeconds);
                string json = System.Text.Json.JsonSerializer.Serialize(output, CliJson.ReflectionOptions());
                File.WriteAllText(Path.Combine(dir, "sweep.json.partial"), json);
                File.Move(Path.Combine(dir, "sweep.json.partial"), Path.Combine(dir, "sweep.json"), overwrite: true);
                ctx.Emit(output, o =>
                {
                    foreach (LevelSweep.LevelPoint p in result.Levels)
                        o.WriteLine($"L = {p.Levels,3}: direct {p.DirectAccuracy:P2}, σ-scaled {p.ScaledAccuracy:P2} (σ = {p.Sigma:G3})");
                    foreach (LevelSweep.TimestepPoint p in result.Timesteps)
                        o.WriteLine($"T = {p.Timesteps,3}: L = 13 {p.Accuracy13:P2}, L = ∞ {p.AccuracyFull:P2}");
                    o.WriteLine($"-> {dir}");
                });
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { model, data, outDir, count, timesteps, scanImages, normalization, normalizationImages, seed }) command.Options.Add(o);
        return command;
    }
}
