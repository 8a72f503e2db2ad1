using EdgeSkyrmion.Edge.Data;

namespace EdgeSkyrmion.Edge.Stdp;

/// <summary>
/// Diehl &amp; Cook's read-out: each neuron is labelled with the class it responds to most on average over labelled
/// training images, and an image is classified as the class whose labelled neurons have the highest mean spike
/// count. A neuron that never fired stays unlabelled (−1) and takes no part in the vote.
/// </summary>
public static class NeuronLabels
{
    public const int Unlabelled = -1;

    /// <summary>Labels from per-image spike counts (<c>counts[image][neuron]</c>) and the images' classes.</summary>
    public static int[] Assign(IReadOnlyList<int[]> counts, ReadOnlySpan<byte> classes, int neurons)
    {
        if (counts.Count != classes.Length) throw new ArgumentException($"{counts.Count} responses for {classes.Length} labels.");
        var sums = new double[neurons * DigitSet.Classes];
        var perClass = new int[DigitSet.Classes];
        for (int n = 0; n < counts.Count; n++)
        {
            int c = classes[n];
            perClass[c]++;
            for (int j = 0; j < neurons; j++) sums[j * DigitSet.Classes + c] += counts[n][j];
        }
        var labels = new int[neurons];
        for (int j = 0; j < neurons; j++)
        {
            int best = Unlabelled;
            double bestRate = 0;
            for (int c = 0; c < DigitSet.Classes; c++)
            {
                if (perClass[c] == 0) continue;
                double rate = sums[j * DigitSet.Classes + c] / perClass[c];
                if (rate > bestRate) (best, bestRate) = (c, rate);
            }
            labels[j] = best;
        }
        return labels;
    }

    /// <summary>The class whose neurons fired most on average; −1 when no labelled neuron fired.</summary>
    public static int Predict(ReadOnlySpan<int> counts, ReadOnlySpan<int> labels)
    {
        Span<double> sums = stackalloc double[DigitSet.Classes];
        Span<int> members = stackalloc int[DigitSet.Classes];
        for (int j = 0; j < labels.Length; j++)
        {
            if (labels[j] == Unlabelled) continue;
            sums[labels[j]] += counts[j];
            members[labels[j]]++;
        }
        int best = Unlabelled;
        double bestMean = 0;
        for (int c = 0; c < DigitSet.Classes; c++)
        {
            if (members[c] == 0) continue;
            double mean = sums[c] / members[c];
            if (mean > bestMean) (best, bestMean) = (c, mean);
        }
        return best;
    }
}
