using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Personalization;

/// <summary>
/// The ANN a quantized image stands for: each synapse's signed level (G(W⁺) − G(W⁻), state means) over the layer's
/// threshold σ gives W̃, undone by the normalization Wₗ = W̃ₗ·λₗ/λₗ₋₁. Lets the cloud take gradients at, and score,
/// exactly the weights a device holds (bar read noise) at TorchSharp speed.
/// </summary>
public static class ImageWeights
{
    public static ModelFile Ann(ModelImage image)
    {
        SpikingNetwork network = SpikingNetwork.FromImage(image);
        var tensors = new List<ModelFile.Tensor>();
        for (int l = 0; l < image.Layers.Count; l++)
        {
            Layer layer = image.Layers[l];
            int inputs = (int)layer.Inputs, outputs = (int)layer.Outputs;
            double previous = l == 0 ? 1.0 : image.Layers[l - 1].NormalizationFactor;
            double scale = layer.NormalizationFactor / previous / layer.Threshold;
            ReadOnlySpan<float> w = network.Weights(l);
            var data = new float[w.Length];
            for (int i = 0; i < inputs; i++)
                for (int o = 0; o < outputs; o++)
                    data[o * inputs + i] = (float)(w[i * outputs + o] * scale);
            tensors.Add(new ModelFile.Tensor($"layer{l}.weight", [outputs, inputs], data));
        }
        return new ModelFile(tensors, new Dictionary<string, string> { ["dequantized_from"] = $"{image.ModelId} v{image.Version}" });
    }
}
