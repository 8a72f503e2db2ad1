using System.Diagnostics;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;

namespace EdgeSkyrmion.Cloud.Conversion;

/// <summary>
/// Accuracy of a converted network on a digit set, measured with the edge's own engine (<see cref="SpikingRun"/>),
/// one run state per worker thread. Image i gets the input seed <c>seed + i</c>, so results do not depend on how
/// the images are split among threads.
/// </summary>
public static class SnnEvaluation
{
    public sealed record Result(int Images, int Correct, int Timesteps, double SynapticEventsPerImage, double SpikesPerImage,
        double MeanDecidedStep, double MeanStepsRun, double Seconds)
    {
        public double Accuracy => Images == 0 ? 0 : (double)Correct / Images;
        public double ImagesPerSecond => Seconds > 0 ? Images / Seconds : 0;

        /// <summary>Sums results over disjoint image ranges.</summary>
        public static Result Combine(IReadOnlyList<Result> parts)
        {
            int images = parts.Sum(p => p.Images);
            double Mean(Func<Result, double> f) => images == 0 ? 0 : parts.Sum(p => f(p) * p.Images) / images;
            return new Result(images, parts.Sum(p => p.Correct), parts[0].Timesteps, Mean(p => p.SynapticEventsPerImage),
                Mean(p => p.SpikesPerImage), Mean(p => p.MeanDecidedStep), Mean(p => p.MeanStepsRun), parts.Sum(p => p.Seconds));
        }
    }

    /// <summary>Runs images [start, start + count) of <paramref name="set"/>.</summary>
    public static Result Evaluate(SpikingNetwork network, DigitSet set, int timesteps, ulong seed, int earlyExitMargin = 0,
        int start = 0, int? count = null, Action<double>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timesteps, 1);
        int n = count ?? set.Count - start;
        if (start < 0 || n < 0 || start + n > set.Count) throw new ArgumentOutOfRangeException(nameof(count), $"images {start}..{start + n} are outside the set of {set.Count}.");
        var clock = Stopwatch.StartNew();
        int correct = 0, done = 0;
        long events = 0, spikes = 0, decided = 0, stepsRun = 0;
        var gate = new Lock();
        Parallel.For(start, start + n, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => (Run: new SpikingRun(network), Correct: 0, Events: 0L, Spikes: 0L, Decided: 0L, Steps: 0L, Done: 0),
            (i, _, local) =>
            {
                SnnResult r = local.Run.Run(set.Image(i), timesteps, seed + (ulong)i, earlyExitMargin);
                local.Correct += r.PredictedClass == set.Labels[i] ? 1 : 0;
                local.Events += r.SynapticEvents;
                local.Spikes += r.Spikes;
                local.Decided += r.DecidedStep;
                local.Steps += r.StepsRun;
                if (++local.Done % 50 == 0 && progress is not null)
                {
                    int total = Interlocked.Add(ref done, 50);
                    progress((double)total / n);
                }
                return local;
            },
            local =>
            {
                lock (gate)
                {
                    correct += local.Correct;
                    events += local.Events;
                    spikes += local.Spikes;
                    decided += local.Decided;
                    stepsRun += local.Steps;
                }
            });
        double PerImage(long total) => n == 0 ? 0 : (double)total / n;
        return new Result(n, correct, timesteps, PerImage(events), PerImage(spikes), PerImage(decided), PerImage(stepsRun), clock.Elapsed.TotalSeconds);
    }
}
