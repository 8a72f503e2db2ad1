using System.Text.Json.Nodes;
using EdgeSkyrmion.Edge.Stdp;

namespace EdgeSkyrmion.Tests.Stdp;

public class StdpModelTests
{
    private static StdpModel Small() => new()
    {
        Inputs = DiehlCookNetwork.Inputs,
        Neurons = 3,
        DeviceStates = 4,
        StateTable = "t",
        Programming = StdpProgramming.Pulse,
        Seed = 1,
        ImagesTrained = 10,
        LabellingImages = 10,
        Settings = new StdpSettings { Neurons = 3 },
        ThetaV = [0.001, 0, 0.002],
        Labels = [1, NeuronLabels.Unlabelled, 9],
        Weights = Enumerable.Range(0, DiehlCookNetwork.Inputs * 3).Select(k => (k % 4) / 3f).ToArray(),
        DeviceStateValues = Enumerable.Range(0, DiehlCookNetwork.Inputs * 3).Select(k => (byte)(k % 4)).ToArray(),
    };

    private static string TempPath() => Path.Combine(Path.GetTempPath(), $"stdp-{Guid.NewGuid():N}.json");

    [Fact]
    public void SaveAndLoadRoundTripShapeStatesThetaAndLabels()
    {
        string path = TempPath();
        Small().Save(path);
        StdpModel loaded = StdpModel.Load(path);
        Assert.Equal(3, loaded.Neurons);
        Assert.Equal(4, loaded.DeviceStates);
        Assert.Equal(Small().ThetaV, loaded.ThetaV);
        Assert.Equal(Small().Labels, loaded.Labels);
        Assert.Equal(Small().Weights, loaded.Weights);
        Assert.Equal(Small().DeviceStateValues, loaded.DeviceStateValues);
        Assert.Equal(StdpProgramming.Pulse, loaded.Programming);
    }

    [Theory]
    [InlineData("version", "2", "format version 2")]
    [InlineData("neurons", "4", "does not match its settings")]
    [InlineData("inputs", "100", "100 inputs")]
    public void AFileOfAnotherVersionOrShapeIsRefused(string field, string value, string message)
    {
        string path = TempPath();
        Small().Save(path);
        JsonNode node = JsonNode.Parse(File.ReadAllText(path))!;
        node[field] = JsonNode.Parse(value);
        File.WriteAllText(path, node.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => StdpModel.Load(path));
        Assert.Contains(message, e.Message);
    }
}
