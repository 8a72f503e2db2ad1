using EdgeSkyrmion.Cloud.Conversion;
using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using static TorchSharp.torch;

namespace EdgeSkyrmion.Tests.Conversion;

public class SpikingAwareConversionTests
{
    private static (DigitSet Train, DigitSet Test) SmallSets()
    {
        string dir = SyntheticDigits.WriteFolder(300, 100);
        return (DigitSet.Load(dir, DigitSplit.Train), DigitSet.Load(dir, DigitSplit.Test));
    }

    private static SpikingAwareOptions Aware(bool readNoise = true) =>
        SpikingAwareLevels.Options(Presets.Get("mml4-300K"), levels: 13, activationSteps: 4, weightSigma: 1.5, readNoise);

    private static ModelFile TrainTiny(DigitSet train, DigitSet test) =>
        new MlpTrainer(new TrainingOptions { HiddenSizes = [24, 16], Epochs = 3, BatchSize = 20, Dropout = 0, Seed = 5, SpikingAware = Aware() })
            .Train(train, test).Model;

    [Fact]
    public void TheConvertedImageHoldsExactlyTheTrainedDeviceLevelsAndClipsThroughFileRoundTrips()
    {
        (DigitSet train, DigitSet test) = SmallSets();
        string modelPath = Path.Combine(Path.GetTempPath(), $"sa-{Guid.NewGuid():N}.eskm");
        TrainTiny(train, test).Save(modelPath);
        ModelFile model = ModelFile.Load(modelPath);
        SpikingAwareOptions aware = SpikingAwareOptions.Of(model)!;
        Assert.Equal(4, aware.ActivationSteps);
        Assert.Equal(1.5, aware.WeightSigma);
        double[] clips = SpikingAwareOptions.Clips(model);
        Assert.Equal(3, clips.Length);

        string imagePath = Path.Combine(Path.GetTempPath(), $"sa-{Guid.NewGuid():N}.esmi");
        ModelImageFile.Write(SnnConverter.SpikingAwareImage(model, aware, timesteps: 4), imagePath);
        ModelImage image = ModelImageFile.Read(imagePath);
        Assert.Equal(InputEncoding.ConstantCurrent, image.InputEncoding);
        Assert.All(image.Layers, l => Assert.Equal(0.5f, l.InitialPotential));
        Assert.Equal(4u, image.Timesteps);
        SpikingNetwork network = SpikingNetwork.FromImage(image);

        // The trained network's weights as quantized in training (no noise), in the engine's units: Wq·λₗ₋₁/λₗ
        // against threshold 1, must be the image's effective weight over its threshold.
        TorchRuntime.Initialize();
        var quantizer = new DeviceLevelQuantizer(aware);
        IReadOnlyList<ModelFile.Tensor> weights = model.LayerWeights();
        for (int l = 0; l < weights.Count; l++)
        {
            ModelFile.Tensor w = weights[l];
            float[] q = quantizer.Apply(tensor(w.Data).reshape(w.Rows, w.Columns), noise: false).data<float>().ToArray();
            double scale = (l == 0 ? 1 : clips[l - 1]) / clips[l];
            float threshold = network.Threshold(l);
            ReadOnlySpan<float> engine = network.Weights(l);
            int distinct = q.Select(v => MathF.Round(v, 6)).Distinct().Count();
            Assert.InRange(distinct, 3, 13);
            for (int o = 0; o < w.Rows; o++)
                for (int i = 0; i < w.Columns; i++)
                    Assert.Equal(q[o * w.Columns + i] * scale, engine[i * w.Rows + o] / threshold, 4);
        }
    }

    [Fact]
    public void NoiseInjectionDrawsThePairsMeasuredReadSpreadAroundTheLevel()
    {
        TorchRuntime.Initialize();
        SpikingAwareOptions aware = Aware();
        // 20 000 copies of one weight at the top level of a layer whose largest |W| is 1: σ = 1.5 puts W = 1/1.5 at the top.
        float top = (float)(1 / aware.WeightSigma);
        float[] data = [1f, .. Enumerable.Repeat(top, 20_000)];
        float[] noisy = new DeviceLevelQuantizer(aware).Apply(tensor(data), noise: true).data<float>().ToArray()[1..];
        double perG0 = 1 / (aware.WeightSigma * aware.TopG0);
        double mean = noisy.Average(v => (double)v), sd = Math.Sqrt(noisy.Average(v => Math.Pow(v - mean, 2)));
        Assert.Equal(top, mean, 2);
        Assert.Equal(aware.PairReadSdG0[^1] * perG0, sd, 0.05 * aware.PairReadSdG0[^1] * perG0);
        Assert.All(Aware(readNoise: false).PairReadSdG0, s => Assert.Equal(0, s));
    }
}
