using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;

namespace EdgeSkyrmion.Cloud.Conversion;

/// <summary>
/// The paper's choice of the threshold scale σ "by scanning σ and finding the value achieving the highest
/// accuracy" (App. B), done on held-out TRAINING images (the last N of the training split), never on the test
/// set. Candidates: σ = 1 (direct conversion) to 16 in steps of √2, then the two quarter-octave neighbours of the best. Held-out training images are nearly all classified
/// correctly, so several σ reach accuracies within one standard error of the best; among those the scan takes the
/// one whose quantized network has the lowest held-out cross-entropy (<see cref="QuantizedAnnLoss"/>).
/// </summary>
public static class SigmaScan
{
    public sealed record Point(double Sigma, double Accuracy, double QuantizedLoss);

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
        var grid = new List<double>();
        for (double s = 1; s <= 16.0001; s *= Math.Sqrt(2)) grid.Add(s);
        var points = new List<Point>();
        double total = grid.Count + 2.0;
        Point Score(double sigma)
        {
            SpikingNetwork network = SpikingNetwork.FromImage(converter.Quantized(levels, sigma, timesteps));
            var point = new Point(sigma, SnnEvaluation.Evaluate(network, heldOut, timesteps, seed).Accuracy,
                QuantizedAnnLoss.Of(network, heldOut, converter.NormalizationFactors[^1]));
            points.Add(point);
            progress?.Invoke(points.Count / total);
            return point;
        }
        foreach (double sigma in grid) Score(sigma);
        Point best = Best(points, heldOut.Count);
        double quarter = Math.Pow(2, 0.25);
        if (best.Sigma > 1) Score(best.Sigma / quarter);
        Score(best.Sigma * quarter);
        best = Best(points, heldOut.Count);
        return new Result(best.Sigma, best.Accuracy, heldOut.Count, [.. points.OrderBy(p => p.Sigma)]);
    }

    private static Point Best(List<Point> points, int heldOutImages)
    {
        double top = points.Max(p => p.Accuracy);
        int n = Math.Max(1, heldOutImages);
        double standardError = Math.Sqrt(Math.Max(top * (1 - top), 1.0 / n) / n);
        return points.Where(p => p.Accuracy >= top - standardError).OrderBy(p => p.QuantizedLoss).ThenBy(p => p.Sigma).First();
    }
}
