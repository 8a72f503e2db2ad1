using EdgeSkyrmion.Cloud.Conversion;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Snn;

namespace EdgeSkyrmion.Tests.Conversion;

public class DeviceReadNoiseTests
{
    private static (ModelImage Image, StateTable Table) PresetImage()
    {
        StateTable table = Presets.Get(Presets.Default);
        ModelImage image = SmallNets.Image(hidden: 12, seed: 5);
        image.PresetName = table.Name;
        image.StateMeansG0.Clear();
        image.StateMeansG0.AddRange(table.StateMeansG0);
        return (image, table);
    }

    [Fact]
    public void ReadsScatterAroundTheStateMeansWithThePresetsSpread()
    {
        (ModelImage image, StateTable table) = PresetImage();
        var noise = new DeviceReadNoise(image, table, seed: 1);
        float[] ideal = SpikingNetwork.FromImage(image).Weights(0).ToArray();
        float[] first = noise.Read(10).Weights(0).ToArray();
        float[] again = noise.Read(10).Weights(0).ToArray();
        float[] second = noise.Read(11).Weights(0).ToArray();
        Assert.Equal(first, again);
        Assert.NotEqual(first, second);
        double[] error = [.. first.Zip(ideal, (a, b) => (double)(a - b))];
        double sd = Math.Sqrt(error.Average(e => e * e));
        // Per synapse: two devices, each with cycle SD 0.01–0.025 G0 and device SD 0.01 G0, times weight_per_g0 = 1/4.
        Assert.InRange(sd, 0.25 * Math.Sqrt(2 * (0.01 * 0.01 + 0.01 * 0.01)), 0.25 * Math.Sqrt(2 * (0.025 * 0.025 + 0.01 * 0.01)));
        Assert.InRange(error.Average(), -0.002, 0.002);
    }

    [Fact]
    public void UniformOrFullPrecisionImagesHaveNoDevicesToRead()
    {
        (ModelImage image, StateTable table) = PresetImage();
        image.PresetName = SignedLevels.UniformName;
        Assert.Throws<ArgumentException>(() => new DeviceReadNoise(image, table, 1));
    }

    [Fact]
    public void TheSigmaScanHoldsOutTheLastTrainingImages()
    {
        (byte[] images, byte[] labels) = Support.SyntheticDigits.Make(30, 1);
        var train = new global::EdgeSkyrmion.Edge.Data.DigitSet(global::EdgeSkyrmion.Edge.Data.DigitSplit.Train, images, labels);
        global::EdgeSkyrmion.Edge.Data.DigitSet heldOut = SigmaScan.HeldOut(train, 7);
        Assert.Equal(7, heldOut.Count);
        Assert.Equal(global::EdgeSkyrmion.Edge.Data.DigitSplit.Train, heldOut.Split);
        Assert.Equal(labels[23..], heldOut.Labels);
        Assert.True(train.Image(29).SequenceEqual(heldOut.Image(6)));
    }
}
