using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeSkyrmion.Cloud.Conversion;

/// <summary>
/// Cross-entropy of the ReLU network that a converted SNN approximates (each layer's effective weights over its
/// threshold, the logits rescaled to the ANN's by the output normalization factor) on held-out images. Deterministic
/// and continuous, so it separates σ values whose SNN accuracies are statistically indistinguishable.
/// </summary>
public static class QuantizedAnnLoss
{
    public static double Of(SpikingNetwork network, DigitSet images, double outputScale)
    {
        TorchRuntime.Initialize();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor activation = MlpTrainer.ToInputs(images);
        for (int l = 0; l < network.LayerCount; l++)
        {
            Tensor w = tensor(network.Weights(l).ToArray()).reshape(network.Sizes[l], network.Sizes[l + 1]).div(network.Threshold(l));
            activation = activation.matmul(w);
            if (l + 1 < network.LayerCount) activation = activation.relu();
        }
        Tensor labels = tensor(images.Labels.Select(b => (long)b).ToArray());
        return nn.functional.cross_entropy(activation.mul(outputScale), labels).item<float>();
    }
}
