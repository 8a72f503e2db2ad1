using EdgeSkyrmion.Cloud.Reports;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;

namespace EdgeSkyrmion.Cloud.Conversion;

/// <summary>
/// The paper's Fig. 7b regenerated: test accuracy against the number of signed levels L (uniform levels), directly
/// converted vs σ-scaled (σ scanned on held-out training images), plus accuracy against timesteps T for L = 13
/// (σ-scaled) and full precision.
/// </summary>
public sealed class LevelSweep(SnnConverter converter, DigitSet heldOut, DigitSet test, int testImages, int timesteps, ulong seed)
{
    public static readonly int[] PaperLevels = [1, 3, 5, 7, 9, 13, 17, 33, 65];
    public static readonly int[] PaperTimesteps = [10, 25, 50, 100, 200];
    public const int TimestepLevels = 13;

    public sealed record LevelPoint(string Levels, double DirectAccuracy, double ScaledAccuracy, double Sigma, double HeldOutAccuracy);

    public sealed record TimestepPoint(int Timesteps, double Accuracy13, double AccuracyFull, double SynapticEventsPerImage13);

    public sealed record Result(IReadOnlyList<LevelPoint> Levels, IReadOnlyList<TimestepPoint> Timesteps, int TestImages,
        int HeldOutImages, int SweepTimesteps);

    public Result Run(Action<string, double> progress)
    {
        var levels = new List<LevelPoint>();
        double sigma13 = double.NaN;
        int stages = PaperLevels.Length + 1 + PaperTimesteps.Length;
        for (int i = 0; i < PaperLevels.Length; i++)
        {
            int l = PaperLevels[i];
            var signed = SignedLevels.Uniform(l);
            void Report(double f) => progress($"L = {l}", (i + f) / stages);
            SigmaScan.Result scan = SigmaScan.Run(converter, signed, heldOut, timesteps, seed, f => Report(0.8 * f));
            double direct = Accuracy(converter.Quantized(signed, 1, timesteps), timesteps).Accuracy;
            double scaled = Accuracy(converter.Quantized(signed, scan.BestSigma, timesteps), timesteps).Accuracy;
            levels.Add(new LevelPoint(l.ToString(System.Globalization.CultureInfo.InvariantCulture), direct, scaled, scan.BestSigma, scan.BestAccuracy));
            if (l == TimestepLevels) sigma13 = scan.BestSigma;
        }
        progress("L = ∞", (double)PaperLevels.Length / stages);
        double full = Accuracy(converter.FullPrecision(timesteps), timesteps).Accuracy;
        levels.Add(new LevelPoint("inf", full, full, 1, double.NaN));

        var steps = new List<TimestepPoint>();
        for (int i = 0; i < PaperTimesteps.Length; i++)
        {
            int t = PaperTimesteps[i];
            progress($"T = {t}", (PaperLevels.Length + 1.0 + i) / stages);
            SnnEvaluation.Result q = Accuracy(converter.Quantized(SignedLevels.Uniform(TimestepLevels), sigma13, t), t);
            steps.Add(new TimestepPoint(t, q.Accuracy, Accuracy(converter.FullPrecision(t), t).Accuracy, q.SynapticEventsPerImage));
        }
        return new Result(levels, steps, testImages, heldOut.Count, timesteps);
    }

    /// <summary>Writes fig7b.csv/png and timesteps.csv/png into <paramref name="directory"/>; returns the paths.</summary>
    public static IReadOnlyList<string> Save(Result result, string directory, double annAccuracy)
    {
        Directory.CreateDirectory(directory);
        string Path(string name) => System.IO.Path.Combine(directory, name);
        var levels = new CsvTable("levels", "direct_accuracy", "scaled_accuracy", "sigma", "held_out_accuracy");
        foreach (LevelPoint p in result.Levels) levels.Row(p.Levels, p.DirectAccuracy, p.ScaledAccuracy, p.Sigma, p.HeldOutAccuracy);
        levels.Save(Path("fig7b.csv"));
        List<LevelPoint> finite = [.. result.Levels.Where(p => p.Levels != "inf")];
        double[] x = [.. finite.Select(p => double.Parse(p.Levels, System.Globalization.CultureInfo.InvariantCulture))];
        double full = result.Levels.Single(p => p.Levels == "inf").DirectAccuracy;
        new Chart($"Fig. 7b: accuracy vs signed levels ({result.TestImages} test images, T = {result.SweepTimesteps})", "signed levels L", "test accuracy (%)") { LogX = true }
            .Add("direct conversion", x, [.. finite.Select(p => 100 * p.DirectAccuracy)])
            .Add("σ-scaled", x, [.. finite.Select(p => 100 * p.ScaledAccuracy)])
            .Add("full precision SNN (L = ∞)", x, [.. x.Select(_ => 100 * full)])
            .Add("ANN", x, [.. x.Select(_ => 100 * annAccuracy)])
            .SavePng(Path("fig7b.png"));

        var steps = new CsvTable("timesteps", "accuracy_l13", "accuracy_full", "synaptic_events_per_image_l13");
        foreach (TimestepPoint p in result.Timesteps) steps.Row(p.Timesteps, p.Accuracy13, p.AccuracyFull, p.SynapticEventsPerImage13);
        steps.Save(Path("timesteps.csv"));
        double[] t = [.. result.Timesteps.Select(p => (double)p.Timesteps)];
        new Chart($"Accuracy vs timesteps ({result.TestImages} test images)", "timesteps T (1 ms)", "test accuracy (%)") { LogX = true }
            .Add("L = 13, σ-scaled", t, [.. result.Timesteps.Select(p => 100 * p.Accuracy13)])
            .Add("L = ∞", t, [.. result.Timesteps.Select(p => 100 * p.AccuracyFull)])
            .Add("ANN", t, [.. t.Select(_ => 100 * annAccuracy)])
            .SavePng(Path("timesteps.png"));
        return [Path("fig7b.csv"), Path("fig7b.png"), Path("timesteps.csv"), Path("timesteps.png")];
    }

    private SnnEvaluation.Result Accuracy(Protos.V1.ModelImage image, int t) =>
        SnnEvaluation.Evaluate(SpikingNetwork.FromImage(image), test, t, seed, 0, 0, testImages);
}
