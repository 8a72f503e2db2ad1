using EdgeSkyrmion.Cloud.Reports;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.DeviceModel.Energy;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Conversion;

/// <summary>
/// Accuracy against timesteps T for several converted networks (e.g. the standard and the spiking-aware one), each
/// read ideally and, for device images, through the crossbar with read noise (<see cref="DeviceReadNoise"/>), and
/// the read energy of one inference: every synaptic event reads the synapse's two devices, at the preset's read
/// energy (the energy model of `edge infer`).
/// </summary>
public sealed class TimestepSweep(DigitSet test, int images, ulong seed, bool readNoise)
{
    public sealed record Point(string Model, int Timesteps, double Accuracy, double? ReadNoiseAccuracy, double SynapticEventsPerImage,
        double ReadsPerInference, double ReadEnergyPerInferencePj);

    public IReadOnlyList<Point> Run(IReadOnlyList<(string Name, ModelImage Image)> models, IReadOnlyList<int> timesteps, Action<double> progress)
    {
        if (models.Count == 0 || timesteps.Count == 0) throw new ArgumentException("name at least one image and one number of timesteps.");
        if (timesteps.Any(t => t < 1)) throw new ArgumentException($"--timesteps {string.Join(",", timesteps)}: every T must be at least 1.");
        var points = new List<Point>();
        for (int m = 0; m < models.Count; m++)
        {
            (string name, ModelImage image) = models[m];
            if (image.Levels == ModelImageFile.FullPrecision) throw new ArgumentException($"{name}: a full-precision image has no devices to read (energy needs a preset).");
            StateTable table = Presets.Get(image.PresetName);
            SpikingNetwork ideal = SpikingNetwork.FromImage(image);
            DeviceReadNoise? noisy = readNoise ? new DeviceReadNoise(image, table, seed) : null;
            for (int i = 0; i < timesteps.Count; i++)
            {
                int t = timesteps[i];
                SnnEvaluation.Result r = SnnEvaluation.Evaluate(ideal, test, t, seed, 0, 0, images);
                double? withNoise = noisy?.Evaluate(test, images, t, seed, 0).Accuracy;
                double reads = 2 * r.SynapticEventsPerImage;
                points.Add(new Point(name, t, r.Accuracy, withNoise, r.SynapticEventsPerImage, reads, Units.Picojoules(Units.Femtojoules(reads * table.ReadEnergyJ))));
                progress((m * timesteps.Count + i + 1.0) / (models.Count * timesteps.Count));
            }
        }
        return points;
    }

    /// <summary>Writes timesteps.csv, accuracy-vs-timesteps.png and energy-vs-accuracy.png into <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> Save(IReadOnlyList<Point> points, string directory, int images, IReadOnlyDictionary<string, double> annAccuracy)
    {
        Directory.CreateDirectory(directory);
        string Path(string name) => System.IO.Path.Combine(directory, name);
        var csv = new CsvTable("model", "timesteps", "accuracy", "read_noise_accuracy", "synaptic_events_per_image", "reads_per_inference", "read_energy_pj");
        foreach (Point p in points)
            csv.Row(p.Model, p.Timesteps, p.Accuracy, p.ReadNoiseAccuracy?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "",
                p.SynapticEventsPerImage, p.ReadsPerInference, p.ReadEnergyPerInferencePj);
        csv.Save(Path("timesteps.csv"));

        var byT = new Chart($"Accuracy vs timesteps ({images} test images)", "timesteps T (1 ms)", "test accuracy (%)") { LogX = true };
        var byEnergy = new Chart($"Read energy per inference vs accuracy ({images} test images)", "read energy per inference (pJ)", "test accuracy (%)");
        foreach (IGrouping<string, Point> model in points.GroupBy(p => p.Model))
        {
            double[] t = [.. model.Select(p => (double)p.Timesteps)];
            double[] energy = [.. model.Select(p => p.ReadEnergyPerInferencePj)];
            byT.Add(model.Key, t, [.. model.Select(p => 100 * p.Accuracy)]);
            byEnergy.Add(model.Key, energy, [.. model.Select(p => 100 * p.Accuracy)]);
            if (model.All(p => p.ReadNoiseAccuracy is not null))
            {
                byT.Add($"{model.Key}, read noise", t, [.. model.Select(p => 100 * p.ReadNoiseAccuracy!.Value)]);
                byEnergy.Add($"{model.Key}, read noise", energy, [.. model.Select(p => 100 * p.ReadNoiseAccuracy!.Value)]);
            }
            if (annAccuracy.TryGetValue(model.Key, out double ann)) byT.Add($"{model.Key}: its ANN", t, [.. t.Select(_ => 100 * ann)]);
        }
        byT.SavePng(Path("accuracy-vs-timesteps.png"));
        byEnergy.SavePng(Path("energy-vs-accuracy.png"));
        return [Path("timesteps.csv"), Path("accuracy-vs-timesteps.png"), Path("energy-vs-accuracy.png")];
    }
}
