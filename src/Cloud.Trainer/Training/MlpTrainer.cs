using System.Diagnostics;
using System.Globalization;
using EdgeSkyrmion.Edge.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EdgeSkyrmion.Cloud.Training;

/// <summary>Full-precision SGD of the bias-free ReLU MLP with TorchSharp; deterministic for a seed on one thread.</summary>
public sealed class MlpTrainer(TrainingOptions options)
{
    public sealed record EpochReport(int Epoch, double TrainLoss, double TestAccuracy, double Seconds);

    public sealed record Result(ModelFile Model, double TestAccuracy, IReadOnlyList<EpochReport> Epochs, double SecondsPerEpoch);

    /// <summary>Trains on <paramref name="train"/>, reports test accuracy after every epoch.</summary>
    public Result Train(DigitSet train, DigitSet test, Action<int, double>? batchProgress = null, Action<EpochReport>? epochDone = null)
    {
        options.Validate();
        train = train.Take(options.TrainLimit);
        using Lock.Scope generator = TorchRuntime.Seeded(options.Seed);
        var rng = new Random(unchecked((int)options.Seed));

        using var scope = torch.NewDisposeScope();
        List<Linear> layers = BuildLayers();
        nn.Module<Tensor, Tensor> net = options.SpikingAware is { } aware
            ? new SpikingAwareMlp(layers, InitialClips(layers, train), aware, options.Dropout)
            : Assemble(layers);
        var optimizer = optim.SGD(net.parameters(), options.LearningRate, options.Momentum);
        Tensor xTrain = ToInputs(train);
        Tensor yTrain = tensor(train.Labels.Select(l => (long)l).ToArray());
        Tensor xTest = ToInputs(test);

        var reports = new List<EpochReport>();
        int[] order = Enumerable.Range(0, train.Count).ToArray();
        int batches = (train.Count + options.BatchSize - 1) / options.BatchSize;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            rng.Shuffle(order);
            net.train();
            double lossSum = 0;
            for (int b = 0; b < batches; b++)
            {
                using var step = torch.NewDisposeScope();
                int start = b * options.BatchSize;
                int size = Math.Min(options.BatchSize, train.Count - start);
                Tensor index = tensor(order.AsSpan(start, size).ToArray().Select(i => (long)i).ToArray());
                if (options.CosineSchedule)
                {
                    double progress = ((epoch - 1.0) * batches + b) / (options.Epochs * (double)batches);
                    foreach (var group in optimizer.ParamGroups) group.LearningRate = options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * progress));
                }
                Tensor inputs = options.ShiftPixels > 0
                    ? tensor(ShiftedBatch(train, order.AsSpan(start, size), options.ShiftPixels, rng)).reshape(size, DigitSet.Pixels)
                    : xTrain.index_select(0, index);
                Tensor loss = nn.functional.cross_entropy(net.forward(inputs), yTrain.index_select(0, index));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>();
                batchProgress?.Invoke(epoch, (b + 1.0) / batches);
            }
            double accuracy = Accuracy(net, xTest, test.Labels);
            var report = new EpochReport(epoch, lossSum / batches, accuracy, clock.Elapsed.TotalSeconds);
            reports.Add(report);
            epochDone?.Invoke(report);
        }
        ModelFile model = Export(layers, reports[^1].TestAccuracy, net as SpikingAwareMlp, train);
        return new Result(model, reports[^1].TestAccuracy, reports, reports.Average(r => r.Seconds));
    }

    /// <summary>
    /// Top-1 accuracy of a model file on a digit set, computed with TorchSharp: the ReLU ANN at full precision, or a
    /// spiking-aware model as trained (device-level weights without read noise, QCFS activations).
    /// </summary>
    public static double Evaluate(ModelFile model, DigitSet set)
    {
        TorchRuntime.Initialize();
        using var scope = torch.NewDisposeScope();
        IReadOnlyList<ModelFile.Tensor> weights = model.LayerWeights();
        var layers = weights.Select(w =>
        {
            var linear = nn.Linear(w.Columns, w.Rows, hasBias: false);
            using (torch.no_grad()) linear.weight!.copy_(tensor(w.Data).reshape(w.Rows, w.Columns));
            return linear;
        }).ToList();
        nn.Module<Tensor, Tensor> net = SpikingAwareOptions.Of(model) is { } aware
            ? new SpikingAwareMlp(layers, SpikingAwareOptions.Clips(model)[..^1], aware, dropoutRate: 0)
            : Assemble(layers, dropout: 0);
        return Accuracy(net, ToInputs(set), set.Labels);
    }

    /// <summary>Start clips of a spiking-aware network: the 99.9th percentile of each hidden ReLU activation of the start weights.</summary>
    private static double[] InitialClips(List<Linear> layers, DigitSet train)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        Tensor activation = ToInputs(train.Take(ClipImages));
        var clips = new double[layers.Count - 1];
        for (int l = 0; l < clips.Length; l++)
        {
            activation = layers[l].forward(activation).relu();
            clips[l] = ActivationPercentile.Of999(activation.flatten().data<float>().ToArray());
            if (!(clips[l] > 0)) throw new InvalidOperationException($"hidden layer {l} of the start network never activates on the training images: no clip to start from.");
        }
        return clips;
    }

    private List<Linear> BuildLayers()
    {
        int[] sizes = [DigitSet.Pixels, .. options.HiddenSizes, DigitSet.Classes];
        var layers = new List<Linear>();
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            var linear = nn.Linear(sizes[i], sizes[i + 1], hasBias: false);
            using (torch.no_grad())
            {
                if (options.InitialModel is { } start) linear.weight!.copy_(tensor(InitialWeights(start, i, sizes)).reshape(sizes[i + 1], sizes[i]));
                else linear.weight!.uniform_(-options.InitRange, options.InitRange);
            }
            layers.Add(linear);
        }
        return layers;
    }

    private static float[] InitialWeights(ModelFile start, int layer, int[] sizes)
    {
        IReadOnlyList<ModelFile.Tensor> weights = start.LayerWeights("initial model");
        if (weights.Count != sizes.Length - 1 || weights[layer].Rows != sizes[layer + 1] || weights[layer].Columns != sizes[layer])
            throw new ArgumentException($"initial model is {string.Join("-", weights.Select(w => w.Columns).Append(weights[^1].Rows))}, training {string.Join("-", sizes)}.");
        return weights[layer].Data;
    }

    private Sequential Assemble(List<Linear> layers) => Assemble(layers, options.Dropout);

    private static Sequential Assemble(List<Linear> layers, double dropout)
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < layers.Count; i++)
        {
            modules.Add(($"layer{i}", layers[i]));
            if (i + 1 == layers.Count) break;
            modules.Add(($"relu{i}", nn.ReLU()));
            if (dropout > 0) modules.Add(($"dropout{i}", nn.Dropout(dropout)));
        }
        return nn.Sequential(modules);
    }

    /// <summary>The batch's images, each translated by its own random offset of up to ±<paramref name="shift"/> pixels (zero fill).</summary>
    private static float[] ShiftedBatch(DigitSet set, ReadOnlySpan<int> indices, int shift, Random rng)
    {
        var batch = new float[indices.Length * DigitSet.Pixels];
        for (int n = 0; n < indices.Length; n++)
        {
            int dx = rng.Next(-shift, shift + 1), dy = rng.Next(-shift, shift + 1);
            ReadOnlySpan<byte> image = set.Image(indices[n]);
            for (int y = Math.Max(0, dy); y < Math.Min(DigitSet.Side, DigitSet.Side + dy); y++)
                for (int x = Math.Max(0, dx); x < Math.Min(DigitSet.Side, DigitSet.Side + dx); x++)
                    batch[n * DigitSet.Pixels + y * DigitSet.Side + x] = image[(y - dy) * DigitSet.Side + x - dx] / 255f;
        }
        return batch;
    }

    /// <summary>A digit set as an [images, 784] tensor of intensities in [0, 1].</summary>
    internal static Tensor ToInputs(DigitSet set)
    {
        var pixels = new float[set.Images.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = set.Images[i] / 255f;
        return tensor(pixels).reshape(set.Count, DigitSet.Pixels);
    }

    private const int ClipImages = 10_000;

    private static double Accuracy(nn.Module<Tensor, Tensor> net, Tensor x, byte[] labels)
    {
        net.eval();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        long[] predicted = net.forward(x).argmax(1).data<long>().ToArray();
        int correct = 0;
        for (int i = 0; i < labels.Length; i++) if (predicted[i] == labels[i]) correct++;
        return (double)correct / labels.Length;
    }

    /// <summary>
    /// The weights as a model file; a spiking-aware network also stores a clip per layer ("layerK.clip"): the
    /// trained QCFS clips of the hidden layers and, for the output layer, the 99.9th percentile of its positive
    /// outputs on the first training images (the output neurons' threshold).
    /// </summary>
    private ModelFile Export(List<Linear> layers, double testAccuracy, SpikingAwareMlp? aware, DigitSet train)
    {
        var tensors = layers.Select((l, i) =>
        {
            long[] shape = l.weight!.shape;
            return new ModelFile.Tensor($"layer{i}.weight", [(int)shape[0], (int)shape[1]], l.weight.data<float>().ToArray());
        }).ToList();
        if (aware is not null)
        {
            aware.eval();
            double output;
            using (torch.no_grad())
            using (torch.NewDisposeScope())
                output = ActivationPercentile.Of999(aware.forward(ToInputs(train.Take(ClipImages))).flatten().data<float>().ToArray());
            if (!(output > 0)) throw new InvalidOperationException("the trained network's output layer never activates on the training images: no output threshold.");
            double[] clips = [.. aware.HiddenClips(), output];
            tensors.AddRange(clips.Select((c, i) => new ModelFile.Tensor($"layer{i}.clip", [1], [(float)c])));
        }
        var metadata = new Dictionary<string, string>
        {
            ["architecture"] = string.Join("-", [DigitSet.Pixels, .. options.HiddenSizes, DigitSet.Classes]),
            ["activation"] = "relu",
            ["bias"] = "none",
            ["epochs"] = options.Epochs.ToString(CultureInfo.InvariantCulture),
            ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
            ["learning_rate"] = options.LearningRate.ToString("R", CultureInfo.InvariantCulture),
            ["momentum"] = options.Momentum.ToString("R", CultureInfo.InvariantCulture),
            ["dropout"] = options.Dropout.ToString("R", CultureInfo.InvariantCulture),
            ["shift_pixels"] = options.ShiftPixels.ToString(CultureInfo.InvariantCulture),
            ["lr_schedule"] = options.CosineSchedule ? "cosine" : "constant",
            ["test_accuracy"] = testAccuracy.ToString("R", CultureInfo.InvariantCulture),
            ["trained_by"] = "TorchSharp " + typeof(torch).Assembly.GetName().Version,
        };
        if (options.SpikingAware is { } spiking)
            foreach (var (key, value) in spiking.Metadata()) metadata[key] = value;
        return new ModelFile(tensors, metadata);
    }
}
