using EdgeSkyrmion.Cloud.Conversion;
using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Conversion;

public class SnnConverterTests
{
    private static ModelFile RandomModel(int hidden, int seed)
    {
        var random = new Random(seed);
        float[] W(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 0.2 - 0.08))];
        return new ModelFile(
            [new ModelFile.Tensor("layer0.weight", [hidden, DigitSet.Pixels], W(hidden * DigitSet.Pixels)),
             new ModelFile.Tensor("layer1.weight", [DigitSet.Classes, hidden], W(DigitSet.Classes * hidden))],
            new Dictionary<string, string> { ["architecture"] = $"784-{hidden}-10", ["test_accuracy"] = "0.5" });
    }

    private static DigitSet Images(int count)
    {
        (byte[] images, byte[] labels) = SyntheticDigits.Make(count, 4);
        return new DigitSet(DigitSplit.Train, images, labels);
    }

    [Fact]
    public void MaxNormalizationBringsEveryLayersLargestActivationToOne()
    {
        ModelFile model = RandomModel(16, 1);
        DigitSet images = Images(50);
        double[] factors = ActivationNormalization.Factors(model, images, NormalizationKind.Max);
        var normalized = new ModelFile(
            [.. ActivationNormalization.NormalizedWeights(model, factors).Select((w, l) =>
                new ModelFile.Tensor($"layer{l}.weight", [model.Tensors[l].Rows, model.Tensors[l].Columns], Transpose(w, model.Tensors[l].Columns, model.Tensors[l].Rows)))],
            model.Metadata);
        double[] after = ActivationNormalization.Factors(normalized, images, NormalizationKind.Max);
        Assert.All(after, f => Assert.Equal(1.0, f, 4));
        double[] robust = ActivationNormalization.Factors(model, images, NormalizationKind.Percentile999);
        Assert.All(robust.Zip(factors), p => Assert.True(p.First <= p.Second));
    }

    [Fact]
    public void SigmaScaledWeightsAreSigmaTimesTheDirectScaleOnTheLevelGridClippedAtTheTop()
    {
        ModelFile model = RandomModel(16, 2);
        double[] factors = ActivationNormalization.Factors(model, Images(50), NormalizationKind.Max);
        var converter = new SnnConverter(model, factors, NormalizationKind.Max);
        float[][] normalized = ActivationNormalization.NormalizedWeights(model, factors);
        SignedLevels levels = SignedLevels.Uniform(13);
        const double Sigma = 3.0;
        ModelImage image = converter.Quantized(levels, Sigma, 50);
        SpikingNetwork network = SpikingNetwork.FromImage(image);
        double[] max = converter.MaxAbsWeights();
        for (int l = 0; l < 2; l++)
        {
            double scale = Sigma * levels.TopG0 / max[l];
            Assert.Equal((float)scale, image.Layers[l].Threshold, 4);
            ReadOnlySpan<float> w = network.Weights(l);
            for (int k = 0; k < w.Length; k++)
            {
                double target = Math.Clamp(scale * normalized[l][k], -levels.TopG0, levels.TopG0);
                Assert.True(Math.Abs(w[k] - target) <= 0.05 + 1e-6, $"layer {l} synapse {k}: {w[k]} for {target}");
                bool zeroPair = image.Layers[l].PlusStates[k] == image.Layers[l].MinusStates[k];
                Assert.Equal(zeroPair, w[k] == 0);
            }
        }
    }

    [Fact]
    public void DirectConversionMapsEachLayersLargestWeightToTheTopLevel()
    {
        ModelFile model = RandomModel(16, 3);
        double[] factors = ActivationNormalization.Factors(model, Images(50), NormalizationKind.Max);
        var converter = new SnnConverter(model, factors, NormalizationKind.Max);
        SignedLevels levels = SignedLevels.Uniform(7);
        ModelImage image = converter.Quantized(levels, 1, 50);
        SpikingNetwork network = SpikingNetwork.FromImage(image);
        double[] max = converter.MaxAbsWeights();
        for (int l = 0; l < 2; l++)
        {
            Assert.Equal((float)(levels.TopG0 / max[l]), image.Layers[l].Threshold, 4);
            Assert.Equal((float)levels.TopG0, network.Weights(l).ToArray().Max(MathF.Abs), 5);
        }
        ModelImage full = converter.FullPrecision(50);
        Assert.Equal(ModelImageFile.FullPrecision, full.Levels);
        Assert.Equal(ActivationNormalization.NormalizedWeights(model, factors)[1], full.Layers[1].SignedWeights.ToArray());
    }

    [Fact]
    public void AModelOfTheWrongShapeIsRefused()
    {
        var model = new ModelFile([new ModelFile.Tensor("layer0.weight", [10, 100], new float[1000])], new Dictionary<string, string>());
        var error = Assert.Throws<InvalidDataException>(() => ActivationNormalization.Factors(model, Images(5), NormalizationKind.Max));
        Assert.Contains("100 inputs", error.Message, StringComparison.Ordinal);
    }

    private static float[] Transpose(float[] inputMajor, int inputs, int outputs)
    {
        var result = new float[inputMajor.Length];
        for (int i = 0; i < inputs; i++)
            for (int o = 0; o < outputs; o++)
                result[o * inputs + i] = inputMajor[i * outputs + o];
        return result;
    }
}
