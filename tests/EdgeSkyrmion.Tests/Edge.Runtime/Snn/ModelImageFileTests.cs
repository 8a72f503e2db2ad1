using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Snn;

public class ModelImageFileTests
{
    private static string TempPath() => Path.Combine(Path.GetTempPath(), $"esmi-{Guid.NewGuid():N}.esmi");

    [Fact]
    public void WriteThenReadGivesTheSameImage()
    {
        ModelImage image = SmallNets.Image(hidden: 8, seed: 1);
        string path = TempPath();
        ModelImageFile.Write(image, path);
        Assert.Equal(image, ModelImageFile.Read(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public void EffectiveWeightIsTheConductanceDifferenceTimesWeightPerG0()
    {
        ModelImage image = SmallNets.Image(hidden: 8, seed: 2);
        SpikingNetwork network = SpikingNetwork.FromImage(image);
        Layer layer = image.Layers[1];
        for (int s = 0; s < layer.PlusStates.Length; s++)
        {
            double expected = (image.StateMeansG0[layer.PlusStates[s]] - image.StateMeansG0[layer.MinusStates[s]]) * layer.WeightPerG0;
            Assert.Equal((float)expected, network.Weights(1)[s]);
        }
        SpikingNetwork read = SpikingNetwork.FromImage(image, (l, s, plus) => plus ? 1.5 : 1.0);
        Assert.All(read.Weights(0).ToArray(), w => Assert.Equal(0.125f, w));
    }

    [Fact]
    public void RereadingOverwritesTheWeightsAsANewNetworkWouldHoldThem()
    {
        ModelImage image = SmallNets.Image(hidden: 8, seed: 2);
        SpikingNetwork network = SpikingNetwork.FromImage(image);
        Func<int, int, bool, double> read = (l, s, plus) => (plus ? 1.2 : 1.0) + 0.001 * ((l * 31 + s) % 17);
        network.Reread(image, read);
        SpikingNetwork fresh = SpikingNetwork.FromImage(image, read);
        for (int l = 0; l < network.LayerCount; l++) Assert.Equal(fresh.Weights(l).ToArray(), network.Weights(l).ToArray());

        ModelImage other = SmallNets.Image(hidden: 9, seed: 2);
        Assert.Contains("differ", Assert.Throws<ArgumentException>(() => network.Reread(other, read)).Message);
    }

    public static TheoryData<string, Action<ModelImage>> Defects => new()
    {
        { "schema version 7", i => i.SchemaVersion = 7 },
        { "levels 4 must be odd", i => i.Levels = 4 },
        { "expected 784×8 each", i => i.Layers[0].PlusStates = ByteString.CopyFrom(new byte[10]) },
        { "takes 9 inputs", i => i.Layers[1].Inputs = 9 },
        { "beyond the 7 states", i => i.Layers[1].MinusStates = ByteString.CopyFrom(Enumerable.Repeat((byte)9, 80).ToArray()) },
        { "threshold 0 must be positive", i => i.Layers[0].Threshold = 0 },
        { "no layers", i => i.Layers.Clear() },
    };

    [Theory]
    [MemberData(nameof(Defects))]
    public void ADefectiveImageIsRefusedWithItsReason(string reason, Action<ModelImage> damage)
    {
        ModelImage image = SmallNets.Image(hidden: 8, seed: 3);
        damage(image);
        string path = TempPath();
        File.WriteAllBytes(path, image.ToByteArray());
        var error = Assert.Throws<InvalidDataException>(() => ModelImageFile.Read(path));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => ModelImageFile.Write(image, TempPath()));
    }

    [Fact]
    public void GarbageAndMissingFilesAreRefused()
    {
        string path = TempPath();
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0x01, 0x02]);
        Assert.Throws<InvalidDataException>(() => ModelImageFile.Read(path));
        Assert.Throws<FileNotFoundException>(() => ModelImageFile.Read(TempPath()));
    }
}
