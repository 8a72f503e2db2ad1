using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
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

    public static TheoryData<string> Defects => [.. ImageDefects.All.Keys];

    [Theory]
    [MemberData(nameof(Defects))]
    public void ADefectiveImageIsRefusedNamingTheFieldAndNothingIsWritten(string named)
    {
        ModelImage image = SmallNets.Image(hidden: 8, seed: 3);
        ImageDefects.All[named](image);
        string path = TempPath();
        File.WriteAllBytes(path, image.ToByteArray());
        var error = Assert.Throws<InvalidDataException>(() => ModelImageFile.Read(path));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        string target = TempPath();
        Assert.Contains(named, Assert.Throws<InvalidDataException>(() => ModelImageFile.Write(image, target)).Message, StringComparison.Ordinal);
        Assert.False(File.Exists(target) || File.Exists(target + ".partial"), "a refused image was written");
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
