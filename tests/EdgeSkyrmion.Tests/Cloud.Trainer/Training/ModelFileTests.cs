using EdgeSkyrmion.Cloud.Training;

namespace EdgeSkyrmion.Tests.Training;

public class ModelFileTests
{
    private static ModelFile Sample() => new(
        [new ModelFile.Tensor("layer0.weight", [3, 784], Enumerable.Range(0, 3 * 784).Select(i => i * 0.001f).ToArray()),
         new ModelFile.Tensor("layer1.weight", [10, 3], Enumerable.Range(0, 30).Select(i => -i * 0.5f).ToArray())],
        new Dictionary<string, string> { ["architecture"] = "784-3-10" });

    [Fact]
    public void RoundTripsTensorsAndMetadata()
    {
        string path = Path.GetTempFileName();
        Sample().Save(path);
        ModelFile back = ModelFile.Load(path);
        Assert.Equal(Sample().Tensors[1].Data, back.Tensors[1].Data);
        Assert.Equal([10, 3], back.Tensors[1].Shape);
        Assert.Equal("784-3-10", back.Metadata["architecture"]);
        Assert.Equal(2, back.LayerWeights().Count);
    }

    [Fact]
    public void RejectsWrongVersionTruncationAndBrokenChains()
    {
        string path = Path.GetTempFileName();
        Sample().Save(path);
        byte[] bytes = File.ReadAllBytes(path);

        byte[] wrongVersion = (byte[])bytes.Clone();
        wrongVersion[4] = 9;
        File.WriteAllBytes(path, wrongVersion);
        Assert.Contains("version 9", Assert.Throws<InvalidDataException>(() => ModelFile.Load(path)).Message);

        File.WriteAllBytes(path, bytes[..^5]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => ModelFile.Load(path)).Message);

        var broken = new ModelFile(
            [new ModelFile.Tensor("layer0.weight", [3, 784], new float[3 * 784]), new ModelFile.Tensor("layer1.weight", [10, 4], new float[40])],
            new Dictionary<string, string>());
        Assert.Contains("takes 4 inputs", Assert.Throws<InvalidDataException>(() => broken.LayerWeights()).Message);
    }
}
