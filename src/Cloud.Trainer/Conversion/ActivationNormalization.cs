using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.Edge.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeSkyrmion.Cloud.Conversion;

/// <summary>Which statistic of a layer's ReLU activations on training data sets its normalization factor λ.</summary>
public enum NormalizationKind
{
    /// <summary>The largest activation (Diehl et al. 2015, data-based normalization).</summary>
    Max,

    /// <summary>The 99.9th percentile of the positive activations: robust to rare outliers (Rueckauer et al. 2017).</summary>
    Percentile999,

    /// <summary>The clips λ a spiking-aware network trained (QCFS), stored in its model file.</summary>
    TrainedClip,
}

/// <summary>
/// Data-based weight normalization (Diehl et al. 2015): λₗ is the max (or 99.9th percentile) activation of layer l
/// of the ANN on training images, λ₀ = 1 for pixel intensities in [0, 1]; scaling Wₗ by λₗ₋₁/λₗ keeps every
/// layer's activations within [0, 1] in ANN units, so a neuron with threshold 1 fires at most about once a step.
/// </summary>
public static class ActivationNormalization
{
    public static string Name(NormalizationKind kind) => kind switch
    {
        NormalizationKind.Max => "max",
        NormalizationKind.Percentile999 => "p99.9",
        _ => "trained-clip",
    };

    public static NormalizationKind Parse(string text) => text switch
    {
        "max" => NormalizationKind.Max,
        "p99.9" => NormalizationKind.Percentile999,
        "trained-clip" => NormalizationKind.TrainedClip,
        _ => throw new ArgumentException($"--normalization {text}: expected max or p99.9."),
    };

    /// <summary>λ of each layer (one per weight matrix), measured on <paramref name="images"/>.</summary>
    public static double[] Factors(ModelFile model, DigitSet images, NormalizationKind kind)
    {
        if (kind == NormalizationKind.TrainedClip) throw new ArgumentException("trained clips are read from the model file, not measured.");
        TorchRuntime.Initialize();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        IReadOnlyList<ModelFile.Tensor> weights = model.LayerWeights();
        if (weights[0].Columns != DigitSet.Pixels || weights[^1].Rows != DigitSet.Classes)
            throw new InvalidDataException($"model maps {weights[0].Columns} inputs to {weights[^1].Rows} classes; the digit images need {DigitSet.Pixels} → {DigitSet.Classes}.");
        Tensor activation = MlpTrainer.ToInputs(images);
        var factors = new double[weights.Count];
        for (int l = 0; l < weights.Count; l++)
        {
            ModelFile.Tensor w = weights[l];
            activation = activation.matmul(tensor(w.Data).reshape(w.Rows, w.Columns).t()).relu();
            factors[l] = Statistic(activation.flatten().data<float>().ToArray(), kind);
            if (!(factors[l] > 0))
                throw new InvalidDataException($"layer {l} of the model never activates on {images.Count} training images: cannot normalize.");
        }
        return factors;
    }

    /// <summary>Normalized weights W̃ₗ = Wₗ·λₗ₋₁/λₗ, transposed to the engine's [input][output] layout.</summary>
    public static float[][] NormalizedWeights(ModelFile model, IReadOnlyList<double> factors)
    {
        IReadOnlyList<ModelFile.Tensor> weights = model.LayerWeights();
        var result = new float[weights.Count][];
        for (int l = 0; l < weights.Count; l++)
        {
            ModelFile.Tensor w = weights[l];
            double scale = (l == 0 ? 1.0 : factors[l - 1]) / factors[l];
            var transposed = new float[w.Data.Length];
            for (int o = 0; o < w.Rows; o++)
                for (int i = 0; i < w.Columns; i++)
                    transposed[i * w.Rows + o] = (float)(w.Data[o * w.Columns + i] * scale);
            result[l] = transposed;
        }
        return result;
    }

    private static double Statistic(float[] values, NormalizationKind kind) =>
        kind == NormalizationKind.Max ? (values.Length == 0 ? 0 : values.Max()) : ActivationPercentile.Of999(values);
}
