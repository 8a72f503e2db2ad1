using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;

namespace EdgeSkyrmion.Cloud.Conversion;

/// <summary>
/// The paper's choice of the threshold scale σ "by scanning σ and finding the value achieving the highest
/// accuracy" (App. B), done on held-out TRAINING images (the last N of the training split), never on the test
/// set. Candidates: a geometric grid in steps of √2 from the smallest per-layer direct-conversion σ to 16× the
/// largest, then the two quarter-octave neighbours of the best; ties go to the smaller σ.
/// </summary>
public static class SigmaScan
{
    public sealed record Point(double Sigma, double Accuracy);

    public sealed record Result(double BestSigma, double BestAccuracy, int HeldOutImages, IReadOnlyList<Point> Points);

    /// <summary>The last <paramref name="count"/> images of the training split.</summary>
    public static DigitSet HeldOut(DigitSet train, int count)
    {
        if (count < 1) throw new ArgumentException($"--scan-images {count}: need at least one held-out training image.");
        count = Math.Min(count, train.Count);
        int start = train.Count - count;
        return new DigitSet(train.Split, train.Images[(start * DigitSet.Pixels)..], train.Labels[start..], train.ImagesPath, train.LabelsPath);
    }

    public static Result Run(SnnConverter converter, SignedLevels levels, DigitSet heldOut, int timesteps, ulong seed, Action<double>? progress = null)
    {
        if (levels.TopG0 <= 0) return new Result(1, double.NaN, heldOut.Count, []);
        double[] direct = converter.DirectSigmas(levels);
        var grid = new List<double>();
        for (double s = direct.Min(); s <= 16 * direct.Max() * 1.0001; s *= Math.Sqrt(2)) grid.Add(s);
        var points = new List<Point>();
        double total = grid.Count + 2;
        Point Score(double sigma)
        {
            SpikingNetwork network = SpikingNetwork.FromImage(converter.Quantized(levels, sigma, timesteps));
            var point = new Point(sigma, SnnEvaluation.Evaluate(network, heldOut, timesteps, seed).Accuracy);
            points.Add(point);
            progress?.Invoke(points.Count / total);
            return point;
        }
        foreach (double sigma in grid) Score(sigma);
        Point best = Best(points);
        double quarter = Math.Pow(2, 0.25);
        Score(best.Sigma / quarter);
        Score(best.Sigma * quarter);
        best = Best(points);
        return new Result(best.Sigma, best.Accuracy, heldOut.Count, [.. points.OrderBy(p => p.Sigma)]);
    }

    private static Point Best(List<Point> points) =>
        points.OrderByDescending(p => p.Accuracy).ThenBy(p => p.Sigma).First();
}
