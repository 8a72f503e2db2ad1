using EdgeSkyrmion.DeviceModel.Energy;
using System.Diagnostics;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Edge.Runtime;

/// <summary>
/// Spiking inference on the crossbar. Energy model of a read: every synaptic event (a spike crossing one synapse)
/// reads the synapse's two devices once, each costing the preset's read energy; the LIF neuron circuits are not
/// modelled (nor are they in the paper). Early exit stops an image once its output is decided (see
/// <see cref="SpikingRun.Run"/>); the steps it saves are reported with the read energy they would have cost,
/// estimated from the image's own events per step.
/// </summary>
public sealed class EdgeInference(DeviceArray devices, CrossbarLayout layout, ModelImage image)
{
    public sealed record Options(int Timesteps = 100, bool ReadNoise = true, int EarlyExitMargin = 3, int ImagesPerRead = 100, ulong Seed = 1);

    public sealed record Result(int Images, double Accuracy, double ImagesPerSecond, int Timesteps, double MeanStepsRun,
        double SynapticEventsPerImage, double EnergyPerInferenceFj, double EarlyExitSavedStepsFraction,
        double EarlyExitSavedEnergyPerInferenceFj, double MeanLatencyMs, double EarlyExitSavedLatencyMs);

    public Result Run(IDigitSource set, int count, Options options, Action<double>? progress = null)
    {
        if (count < 1 || count > set.Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be 1–{set.Count}.");
        if (options.Timesteps < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Timesteps, "timesteps must be at least 1.");
        if (image.Layers[0].Inputs != DigitSet.Pixels)
            throw new InvalidDataException($"the model takes {image.Layers[0].Inputs} inputs, the data has {DigitSet.Pixels} pixels per image.");
        double readEnergyJ = devices.Table.ReadEnergyJ;
        var clock = Stopwatch.StartNew();
        var run = new SpikingRun(CrossbarNetwork.Read(image, devices, layout, options.ReadNoise));
        int correct = 0;
        long events = 0, stepsRun = 0;
        double savedEnergyJ = 0;
        for (int i = 0; i < count; i++)
        {
            if (i > 0 && i % options.ImagesPerRead == 0) CrossbarNetwork.Reread(run.Network, image, devices, layout, options.ReadNoise);
            SnnResult r = run.Run(set.Image(i), options.Timesteps, options.Seed + (ulong)i, options.EarlyExitMargin);
            if (r.PredictedClass == set.Label(i)) correct++;
            events += r.SynapticEvents;
            stepsRun += r.StepsRun;
            devices.Ledger.Reads(2 * r.SynapticEvents, readEnergyJ);
            savedEnergyJ += r.StepsRun == 0 ? 0 : 2.0 * r.SynapticEvents / r.StepsRun * r.SavedSteps * readEnergyJ;
            if (progress is not null && i % 50 == 0) progress((double)i / count);
        }
        progress?.Invoke(1);
        double seconds = clock.Elapsed.TotalSeconds;
        double dtMs = image.TimestepS * 1e3;
        double meanSteps = (double)stepsRun / count;
        return new Result(count, (double)correct / count, count / seconds, options.Timesteps, meanSteps, (double)events / count,
            2.0 * events / count * Units.Femtojoules(readEnergyJ), 1 - meanSteps / options.Timesteps, Units.Femtojoules(savedEnergyJ / count),
            meanSteps * dtMs, (options.Timesteps - meanSteps) * dtMs);
    }
}
