using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.Edge.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeSkyrmion.Cloud.Personalization;

/// <summary>
/// Fine-tunes the bias-free ReLU MLP on one user's samples (TorchSharp, SGD with momentum) while keeping the change
/// small in device terms: an L2 penalty pulls every weight toward the base, and optionally only the last layers
/// train. A weight that stays within half a level step of its base keeps its device states, so the penalty is
/// what makes the delta sparse.
/// </summary>
public static class FineTuner
{
    public sealed record Options
    {
        public int Epochs { get; init; } = 30;
        public int BatchSize { get; init; } = 50;
        public double LearningRate { get; init; } = 0.02;
        public double Momentum { get; init; } = 0.9;

        /// <summary>Strength of ½·λ·Σ(W − W_base)² added to the mean cross-entropy.</summary>
        public double L2ToBase { get; init; } = 0.05;

        /// <summary>How many layers, counted from the output, may change (0 = all).</summary>
        public int TrainableLayers { get; init; }
        public long Seed { get; init; } = 1;

        public void Validate()
        {
            if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "fine-tuning needs at least 1 epoch.");
            if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "batch size must be at least 1.");
            if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "learning rate must be positive.");
            if (Momentum is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "momentum must be in [0, 1).");
            if (!(L2ToBase >= 0)) throw new ArgumentOutOfRangeException(nameof(L2ToBase), L2ToBase, "the L2 penalty must be ≥ 0.");
            if (TrainableLayers < 0) throw new ArgumentOutOfRangeException(nameof(TrainableLayers), TrainableLayers, "trainable layers must be ≥ 0 (0 = all).");
        }
    }

    public static ModelFile FineTune(ModelFile baseModel, DigitSet train, Options options)
    {
        options.Validate();
        if (train.Count == 0) throw new ArgumentException("the user has no training samples.");
        using Lock.Scope generator = TorchRuntime.Seeded(options.Seed);
        var rng = new Random(unchecked((int)options.Seed));
        using var scope = torch.NewDisposeScope();
        IReadOnlyList<ModelFile.Tensor> baseWeights = baseModel.LayerWeights("base model");
        int first = options.TrainableLayers == 0 ? 0 : Math.Max(0, baseWeights.Count - options.TrainableLayers);
        Tensor[] anchors = [.. baseWeights.Select(w => tensor(w.Data).reshape(w.Rows, w.Columns))];
        // A Parameter takes over its tensor's handle, so the trainable weights are created as parameters.
        TorchSharp.Modules.Parameter[] trainable = [.. anchors[first..].Select(a => new TorchSharp.Modules.Parameter(a.clone()))];
        Tensor[] weights = [.. anchors[..first], .. trainable];
        var optimizer = optim.SGD(trainable, options.LearningRate, options.Momentum);
        Tensor x = Inputs(train);
        Tensor y = tensor(train.Labels.Select(l => (long)l).ToArray());
        int[] order = Enumerable.Range(0, train.Count).ToArray();
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            rng.Shuffle(order);
            for (int start = 0; start < train.Count; start += options.BatchSize)
            {
                using var step = torch.NewDisposeScope();
                int size = Math.Min(options.BatchSize, train.Count - start);
                Tensor index = tensor(order.AsSpan(start, size).ToArray().Select(i => (long)i).ToArray());
                Tensor loss = nn.functional.cross_entropy(Forward(weights, x.index_select(0, index)), y.index_select(0, index));
                for (int l = first; l < weights.Length; l++) loss = loss + 0.5 * options.L2ToBase * (weights[l] - anchors[l]).pow(2).sum();
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
        }
        var tensors = weights.Select((w, l) => new ModelFile.Tensor(baseWeights[l].Name, baseWeights[l].Shape, w.detach().data<float>().ToArray())).ToList();
        var metadata = new Dictionary<string, string>(baseModel.Metadata.ToDictionary())
        {
            ["fine_tuned_on"] = $"{train.Count} user samples",
            ["fine_tune_epochs"] = options.Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["fine_tune_l2_to_base"] = options.L2ToBase.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["fine_tune_layers"] = options.TrainableLayers == 0 ? "all" : options.TrainableLayers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return new ModelFile(tensors, metadata);
    }

    /// <summary>∂(mean cross-entropy on <paramref name="data"/>)/∂W of every layer, in the model file's [out, in] layout.</summary>
    public static float[][] LossGradients(ModelFile model, DigitSet data)
    {
        TorchRuntime.Initialize();
        using var scope = torch.NewDisposeScope();
        Tensor[] weights = [.. model.LayerWeights().Select(w => tensor(w.Data).reshape(w.Rows, w.Columns).requires_grad_(true))];
        Tensor loss = nn.functional.cross_entropy(Forward(weights, Inputs(data)), tensor(data.Labels.Select(l => (long)l).ToArray()));
        loss.backward();
        return [.. weights.Select(w => w.grad!.data<float>().ToArray())];
    }

    private static Tensor Forward(Tensor[] weights, Tensor x)
    {
        for (int l = 0; l < weights.Length; l++)
        {
            x = nn.functional.linear(x, weights[l]);
            if (l + 1 < weights.Length) x = nn.functional.relu(x);
        }
        return x;
    }

    private static Tensor Inputs(DigitSet set)
    {
        var pixels = new float[set.Images.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = set.Images[i] / 255f;
        return tensor(pixels).reshape(set.Count, DigitSet.Pixels);
    }
}
