using EdgeSkyrmion.Cli;
using System.CommandLine;
using System.Globalization;
using EdgeSkyrmion.OperatorCli.Commands.Stdp;
using EdgeSkyrmion.Cloud.Reports;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Stdp;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>`stdp train`, `stdp evaluate`, `stdp sweep-states`: unsupervised on-device learning (paper Sec. III, Fig. 6).</summary>
public static class StdpCommands
{
    public const string Continuous = "continuous";

    public sealed record TrainOutput(string Model, int Neurons, string States, string? StateTable, string? Programming, int Images,
        long Presentations, double TrainSeconds, double SamplesPerSecond, int LabellingImages, double LabelSeconds,
        int LabelledNeurons, long ProgrammingPulses, long InitializationPulses, long VerifyReads, double LearningEnergyJ,
        double LearningEnergyPerSampleJ, double PulsesPerSample, double InitialProgrammingEnergyJ, string? WeightsPng,
        StdpEvaluationOutput? Test);

    public sealed record StdpEvaluationOutput(double Accuracy, int Images, int Undecided, double Seconds, double SamplesPerSecond);

    public sealed record EvaluateOutput(string Model, string States, int Neurons, int ImagesTrained, double Accuracy, int Images,
        int Undecided, double Seconds, double SamplesPerSecond, double[] ClassAccuracy);

    public sealed record SweepRow(string States, double Accuracy, double SamplesPerSecond, double LearningEnergyPerSampleJ, double PulsesPerSample);

    public sealed record SweepOutput(string Csv, string Png, int Neurons, int Images, int TestImages, IReadOnlyList<SweepRow> Rows);

    public static Command Build()
    {
        var stdp = new Command("stdp", "Unsupervised STDP learning on skyrmion synapses (Diehl & Cook 2015; paper Sec. III, Fig. 6).");
        stdp.Subcommands.Add(BuildTrain());
        stdp.Subcommands.Add(BuildEvaluate());
        stdp.Subcommands.Add(BuildSweep());
        return stdp;
    }

    private static Option<int> NeuronsOption() => new("--neurons") { Description = "Excitatory neurons (paper: 400).", DefaultValueFactory = _ => 400 };
    private static Option<string> PresetOption() => new("--preset") { Description = "Device state table: preset name or file.", DefaultValueFactory = _ => Presets.Default };
    private static Option<int> SeedOption() => new("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
    private static Option<int> ThreadsOption() => new("--threads") { Description = "Threads for labelling/evaluation (results do not depend on it).", DefaultValueFactory = _ => Environment.ProcessorCount };
    private static Option<string> ProgrammingOption() => new("--programming")
    {
        Description = "How a discrete STDP event moves a device: pulse (init + one pulse) or verify (init + write-verify to the adjacent state).",
        DefaultValueFactory = _ => "pulse",
    };
    private static Option<int> LabelImagesOption() => new("--label-images") { Description = "Training images whose responses label the neurons.", DefaultValueFactory = _ => 10_000 };

    private static Command BuildTrain()
    {
        Option<string> data = CommonOptions.Data();
        Option<int> neurons = NeuronsOption();
        var states = new Option<string>("--states") { Description = "Device states per synapse (≥ 2) or 'continuous' for ideal weights.", DefaultValueFactory = _ => "6" };
        var images = new Option<int>("--images") { Description = "Training images (cycling through the set; paper: 60000).", DefaultValueFactory = _ => 60_000 };
        Option<int> seed = SeedOption();
        var output = new Option<string>("--out") { Description = "Model file to write.", Required = true };
        var png = new Option<string?>("--weights-png") { Description = "Also write the learned weights as a grid of 28×28 images (Fig. 6b)." };
        var testCount = new Option<int>("--test-count") { Description = "Also evaluate on this many test images (0 = skip).", DefaultValueFactory = _ => 0 };
        Option<string> preset = PresetOption();
        Option<string> programming = ProgrammingOption();
        Option<int> labelImages = LabelImagesOption();
        Option<int> threads = ThreadsOption();

        Command command = CliCommand.Create("train",
            "Train the 784→N Diehl & Cook network by STDP, each update moving a device one state. " +
            "Example: stdp train --data data/mnist --states 6 --images 60000 --out out/stdp-6.json --weights-png out/stdp-6.png --json",
            (parse, ctx, _) =>
            {
                var settings = new StdpSettings { Neurons = parse.GetValue(neurons) }.Validated();
                StdpTrainingOptions options = TrainingOptions(parse.GetValue(states)!, parse.GetValue(preset)!, parse.GetValue(programming)!,
                    parse.GetValue(images), parse.GetValue(seed), parse.GetValue(labelImages), parse.GetValue(threads));
                int tests = parse.GetValue(testCount);
                if (tests < 0) throw new ArgumentException($"--test-count {tests}: must be ≥ 0.");
                string dataDir = parse.GetValue(data)!;
                DigitSet train = DigitSet.Load(dataDir, DigitSplit.Train);
                DigitSet? test = tests > 0 ? DigitSet.Load(dataDir, DigitSplit.Test) : null;
                string outPath = parse.GetValue(output)!;
                string? pngPath = parse.GetValue(png);

                StdpTrainingResult result = ctx.WithProgress($"stdp {options.Images} images, {Describe(options)}", report =>
                    StdpTraining.Train(settings, train, options, (phase, f) => report(phase == "training" ? 0.9 * f : 0.9 + 0.1 * f)));
                StdpEvaluation? evaluation = test is null ? null
                    : ctx.WithProgress($"testing {Math.Min(tests, test.Count)} images", report =>
                        StdpResponses.Evaluate(result.Model, test, Math.Min(tests, test.Count), 1, options.Threads, report));
                result.Model.Save(outPath);
                if (pngPath is not null) WeightGridPng.Save(pngPath, result.Model.Weights, settings.Neurons, settings.WeightMax);
                TrainOutput outcome = Summarize(outPath, result, pngPath, evaluation);
                ctx.Emit(outcome, o =>
                {
                    o.WriteLine($"{outcome.Neurons} neurons, {outcome.States}: {outcome.Images} images in {outcome.TrainSeconds:F1} s " +
                        $"({outcome.SamplesPerSecond:F1} samples/s), {outcome.LabelledNeurons} neurons labelled -> {outPath}");
                    if (options.DeviceStates is not null)
                        o.WriteLine($"learning energy {outcome.LearningEnergyPerSampleJ * 1e12:F2} pJ/sample, {outcome.PulsesPerSample:F1} pulses/sample");
                    if (evaluation is not null) o.WriteLine($"test accuracy {evaluation.Accuracy:P2} on {evaluation.Images} images");
                });
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { data, neurons, states, images, seed, output, png, testCount, preset, programming, labelImages, threads })
            command.Options.Add(o);
        return command;
    }

    private static Command BuildEvaluate()
    {
        var model = new Option<string>("--model") { Description = "Model file written by `stdp train`.", Required = true };
        Option<string> data = CommonOptions.Data();
        var count = new Option<int?>("--count") { Description = "Test images (default: all)." };
        Option<int> seed = SeedOption();
        Option<int> threads = ThreadsOption();
        Command command = CliCommand.Create("evaluate",
            "Classify test images with a trained STDP network (learning off, θ fixed). " +
            "Example: stdp evaluate --model out/stdp-6.json --data data/mnist --json",
            (parse, ctx, _) =>
            {
                string path = parse.GetValue(model)!;
                StdpModel loaded = StdpModel.Load(path);
                DigitSet test = DigitSet.Load(parse.GetValue(data)!, DigitSplit.Test);
                int n = parse.GetValue(count) ?? test.Count;
                if (n < 1 || n > test.Count) throw new ArgumentException($"--count {n}: the test set holds 1–{test.Count} images.");
                StdpEvaluation e = ctx.WithProgress($"evaluating {n} images", report =>
                    StdpResponses.Evaluate(loaded, test, n, parse.GetValue(seed), parse.GetValue(threads), report));
                var outcome = new EvaluateOutput(path, loaded.SynapseKind, loaded.Neurons, loaded.ImagesTrained, e.Accuracy, e.Images,
                    e.Undecided, e.Seconds, e.SamplesPerSecond, ClassAccuracy(e.Confusion, test.Labels.AsSpan(0, n)));
                ctx.Emit(outcome, o => o.WriteLine(
                    $"{path} ({outcome.Neurons} neurons, {outcome.States}): accuracy {outcome.Accuracy:P2} on {outcome.Images} images, {outcome.SamplesPerSecond:F1} samples/s"));
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { model, data, count, seed, threads }) command.Options.Add(o);
        return command;
    }

    private static Command BuildSweep()
    {
        Option<string> data = CommonOptions.Data();
        Option<int> neurons = NeuronsOption();
        var states = new Option<string>("--states") { Description = "Comma-separated state counts, 'continuous' for ideal weights.", DefaultValueFactory = _ => "2,3,4,6,8,12,16,32,continuous" };
        var images = new Option<int>("--images") { Description = "Training images per point.", DefaultValueFactory = _ => 2_000 };
        var testCount = new Option<int>("--test-count") { Description = "Test images per point.", DefaultValueFactory = _ => 1_000 };
        var outDir = new Option<string>("--out-dir") { Description = "Folder for stdp-states.csv and stdp-states.png.", DefaultValueFactory = _ => "out" };
        Option<int> seed = SeedOption();
        Option<string> preset = PresetOption();
        Option<string> programming = ProgrammingOption();
        Option<int> labelImages = LabelImagesOption();
        Option<int> threads = ThreadsOption();
        Command command = CliCommand.Create("sweep-states",
            "Test accuracy vs number of device states (paper Fig. 6c) as CSV and PNG. " +
            "Example: stdp sweep-states --data data/mnist --neurons 100 --images 2000 --test-count 1000 --out-dir out --json",
            (parse, ctx, _) =>
            {
                var settings = new StdpSettings { Neurons = parse.GetValue(neurons) }.Validated();
                string[] points = parse.GetValue(states)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (points.Length == 0) throw new ArgumentException("--states: name at least one state count.");
                StdpTrainingOptions[] runs = points.Select(p => TrainingOptions(p, parse.GetValue(preset)!, parse.GetValue(programming)!,
                    parse.GetValue(images), parse.GetValue(seed), parse.GetValue(labelImages), parse.GetValue(threads))).ToArray();
                int tests = parse.GetValue(testCount);
                string dataDir = parse.GetValue(data)!;
                DigitSet train = DigitSet.Load(dataDir, DigitSplit.Train);
                DigitSet test = DigitSet.Load(dataDir, DigitSplit.Test);
                if (tests < 1 || tests > test.Count) throw new ArgumentException($"--test-count {tests}: the test set holds 1–{test.Count} images.");
                var rows = new List<SweepRow>();
                for (int r = 0; r < runs.Length; r++)
                {
                    StdpTrainingOptions run = runs[r];
                    (StdpTrainingResult trained, StdpEvaluation e) = ctx.WithProgress($"{Describe(run)} ({r + 1}/{runs.Length})", report =>
                    {
                        StdpTrainingResult t = StdpTraining.Train(settings, train, run, (phase, f) => report(phase == "training" ? 0.8 * f : 0.8 + 0.1 * f));
                        return (t, StdpResponses.Evaluate(t.Model, test, tests, 1, run.Threads, f => report(0.9 + 0.1 * f)));
                    });
                    rows.Add(new SweepRow(run.DeviceStates?.ToString(CultureInfo.InvariantCulture) ?? Continuous, e.Accuracy, trained.SamplesPerSecond,
                        trained.LearningEnergyPerSampleJ, (double)(trained.Learning.ProgrammingPulses + trained.Learning.InitializationPulses) / run.Images));
                    ctx.Info($"{rows[^1].States}: accuracy {e.Accuracy:P2}");
                }
                string dir = parse.GetValue(outDir)!;
                string csvPath = Path.Combine(dir, "stdp-states.csv"), pngPath = Path.Combine(dir, "stdp-states.png");
                var csv = new CsvTable("states", "test_accuracy", "samples_per_second", "learning_energy_per_sample_j", "pulses_per_sample");
                foreach (SweepRow row in rows) csv.Row(row.States, row.Accuracy, row.SamplesPerSecond, row.LearningEnergyPerSampleJ, row.PulsesPerSample);
                csv.Save(csvPath);
                SavePlot(pngPath, rows, settings.Neurons, parse.GetValue(images));
                var outcome = new SweepOutput(csvPath, pngPath, settings.Neurons, parse.GetValue(images), tests, rows);
                ctx.Emit(outcome, o =>
                {
                    foreach (SweepRow row in rows) o.WriteLine($"{row.States,10}: {row.Accuracy:P2}");
                    o.WriteLine($"-> {csvPath}, {pngPath}");
                });
                return Task.CompletedTask;
            });
        foreach (Option o in new Option[] { data, neurons, states, images, testCount, outDir, seed, preset, programming, labelImages, threads })
            command.Options.Add(o);
        return command;
    }

    private static void SavePlot(string path, IReadOnlyList<SweepRow> rows, int neurons, int images)
    {
        var discrete = rows.Where(r => r.States != Continuous).OrderBy(r => int.Parse(r.States, CultureInfo.InvariantCulture)).ToList();
        var chart = new Chart($"STDP, {neurons} neurons, {images} training images", "device states per synapse", "test accuracy") { LogX = true };
        if (discrete.Count > 0)
            chart.Add("discrete skyrmion states", discrete.Select(r => double.Parse(r.States, CultureInfo.InvariantCulture)).ToList(),
                discrete.Select(r => r.Accuracy).ToList());
        SweepRow? ideal = rows.FirstOrDefault(r => r.States == Continuous);
        if (ideal is not null)
        {
            double[] span = discrete.Count > 0 ? [double.Parse(discrete[0].States, CultureInfo.InvariantCulture), double.Parse(discrete[^1].States, CultureInfo.InvariantCulture)] : [2, 64];
            chart.Add("continuous weights", span, [ideal.Accuracy, ideal.Accuracy]);
        }
        chart.SavePng(path);
    }

    internal static StdpTrainingOptions TrainingOptions(string states, string preset, string programming, int images, int seed, int labelImages, int threads)
    {
        int? deviceStates = ParseStates(states);
        StateTable table = Presets.Get(preset);
        var mode = programming.ToLowerInvariant() switch
        {
            "pulse" => StdpProgramming.Pulse,
            "verify" => StdpProgramming.WriteVerify,
            _ => throw new ArgumentException($"--programming {programming}: expected pulse or verify."),
        };
        if (threads < 1) throw new ArgumentException($"--threads {threads}: must be ≥ 1.");
        return new StdpTrainingOptions
        {
            Images = images,
            DeviceStates = deviceStates,
            Preset = table,
            Programming = mode,
            Seed = seed,
            LabellingImages = labelImages,
            Threads = threads,
        }.Validated();
    }

    internal static int? ParseStates(string text)
    {
        if (text.Equals(Continuous, StringComparison.OrdinalIgnoreCase)) return null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n))
            throw new ArgumentException($"--states {text}: expected a number of states (≥ 2) or 'continuous'.");
        if (n < 2) throw new ArgumentException($"--states {n}: a synapse needs at least 2 states (or 'continuous').");
        return n;
    }

    private static string Describe(StdpTrainingOptions o) => o.DeviceStates is { } n ? $"{n} states" : Continuous;

    private static TrainOutput Summarize(string path, StdpTrainingResult r, string? png, StdpEvaluation? e)
    {
        StdpModel m = r.Model;
        long pulses = r.Learning.ProgrammingPulses + r.Learning.InitializationPulses;
        return new TrainOutput(path, m.Neurons, m.SynapseKind, m.StateTable, m.Programming?.ToString(), m.ImagesTrained, r.Presentations,
            r.TrainSeconds, r.SamplesPerSecond, m.LabellingImages, r.LabelSeconds, m.Labels.Count(l => l != NeuronLabels.Unlabelled),
            r.Learning.ProgrammingPulses, r.Learning.InitializationPulses, r.Learning.Reads, r.Learning.TotalEnergyJ,
            r.LearningEnergyPerSampleJ, (double)pulses / m.ImagesTrained, r.InitialProgramming.TotalEnergyJ, png,
            e is null ? null : new StdpEvaluationOutput(e.Accuracy, e.Images, e.Undecided, e.Seconds, e.SamplesPerSecond));
    }

    private static double[] ClassAccuracy(int[] confusion, ReadOnlySpan<byte> labels)
    {
        var totals = new int[DigitSet.Classes];
        foreach (byte l in labels) totals[l]++;
        return Enumerable.Range(0, DigitSet.Classes)
            .Select(c => totals[c] == 0 ? double.NaN : (double)confusion[c * DigitSet.Classes + c] / totals[c]).ToArray();
    }
}
