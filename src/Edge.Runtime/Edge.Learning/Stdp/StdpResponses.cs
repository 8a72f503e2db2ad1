using EdgeSkyrmion.Edge.Data;

namespace EdgeSkyrmion.Edge.Stdp;

/// <summary>
/// Spike counts of a trained network on images, learning off and θ fixed (Diehl &amp; Cook's test mode; also the
/// labelling pass on training images). Images run in parallel, each from a rested network with its own random
/// stream keyed by (seed, image index), so the counts do not depend on the thread count.
/// </summary>
public static class StdpResponses
{
    public static int[][] Measure(StdpSettings settings, float[] weights, double[] thetaV, DigitSet set, int count, int seed,
        int threads, Action<double>? progress = null)
    {
        if (count < 1 || count > set.Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"the set holds {set.Count} images.");
        var synapses = new ContinuousSynapses(DiehlCookNetwork.Inputs, settings.Neurons, settings, weights);
        var counts = new int[count][];
        int done = 0;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) },
            () => new DiehlCookNetwork(settings, synapses, thetaV),
            (n, _, network) =>
            {
                network.Reset();
                var random = new SampleRandom(seed, n);
                counts[n] = new int[settings.Neurons];
                network.Present(set.Image(n), learn: false, ref random, counts[n]);
                int finished = Interlocked.Increment(ref done);
                if (finished % 64 == 0) progress?.Invoke((double)finished / count);
                return network;
            },
            _ => { });
        return counts;
    }

    /// <summary>Fraction of the first <paramref name="count"/> images of <paramref name="set"/> the labelled model classifies correctly.</summary>
    public static StdpEvaluation Evaluate(StdpModel model, DigitSet set, int count, int seed, int threads, Action<double>? progress = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int[][] counts = Measure(model.Settings, model.Weights, model.ThetaV, set, count, seed, threads, progress);
        double seconds = clock.Elapsed.TotalSeconds;
        var confusion = new int[DigitSet.Classes * DigitSet.Classes];
        int correct = 0, undecided = 0;
        for (int n = 0; n < count; n++)
        {
            int predicted = NeuronLabels.Predict(counts[n], model.Labels);
            if (predicted == NeuronLabels.Unlabelled)
            {
                undecided++;
                continue;
            }
            confusion[set.Labels[n] * DigitSet.Classes + predicted]++;
            if (predicted == set.Labels[n]) correct++;
        }
        return new StdpEvaluation((double)correct / count, count, undecided, seconds, count / seconds, confusion);
    }
}

/// <summary>What evaluation measured: accuracy (undecided images count as wrong), throughput, confusion[true·10 + predicted].</summary>
public sealed record StdpEvaluation(double Accuracy, int Images, int Undecided, double Seconds, double SamplesPerSecond, int[] Confusion);
