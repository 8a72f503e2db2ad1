using EdgeSkyrmion.Cli;
using System.Text.Json;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Conversion;

/// <summary>convert → evaluate through the real CLI on a small synthetic dataset, and its bad-input contract.</summary>
public class SnnCommandTests
{
    [Fact]
    public void ConvertWithSigmaScanThenEvaluateWithReadNoise()
    {
        (string data, string model) = SmallTrainedModel.Make();
        string artifact = Path.Combine(data, "l13.esmi");
        CliProcess.Outcome convert = CliProcess.Run("convert", "--model", model, "--levels", "13", "--states", "mml4-300K", "--sigma", "auto",
            "--data", data, "--scan-images", "40", "--normalization-images", "200", "--timesteps", "30", "--out", artifact, "--json");
        Assert.True(convert.ExitCode == 0, convert.Stderr);
        using (JsonDocument doc = JsonDocument.Parse(convert.Stdout))
        {
            Assert.Equal("auto", doc.RootElement.GetProperty("sigma").GetString());
            Assert.True(doc.RootElement.GetProperty("sigma_scan").GetArrayLength() >= 3);
            Assert.Equal(40, doc.RootElement.GetProperty("held_out_images").GetInt32());
        }
        Assert.Equal(13u, ModelImageFile.Read(artifact).Levels);

        CliProcess.Outcome evaluate = CliProcess.Run("evaluate", "--artifact", artifact, "--data", data, "--count", "30", "--read-noise", "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Stderr);
        using JsonDocument result = JsonDocument.Parse(evaluate.Stdout);
        Assert.Equal(30, result.RootElement.GetProperty("images").GetInt32());
        Assert.Equal(30, result.RootElement.GetProperty("timesteps").GetInt32());
        Assert.True(result.RootElement.GetProperty("accuracy").GetDouble() > 0.5, evaluate.Stdout);
        Assert.True(result.RootElement.GetProperty("synaptic_events_per_image").GetDouble() > 0);
    }

    [Theory]
    [InlineData("12", "odd")]
    [InlineData("0", "odd")]
    [InlineData("seven", "odd integer")]
    public void BadLevelsExitOneAndWriteNothing(string levels, string message)
    {
        (string data, string model) = SmallTrainedModel.Make();
        string artifact = Path.Combine(data, "bad.esmi");
        CliProcess.Outcome r = CliProcess.Run("convert", "--model", model, "--levels", levels, "--data", data, "--out", artifact, "--json");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(message, r.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(artifact));
    }

    [Fact]
    public void MissingDataFolderWrongModelAndCorruptArtifactExitOne()
    {
        string dir = SyntheticDigits.WriteFolder(20, 10);
        string missing = Path.Combine(dir, "no-such-folder");
        string notAModel = Path.Combine(dir, "model.eskm");
        File.WriteAllText(notAModel, "not a model");
        CliProcess.Outcome badModel = CliProcess.Run("convert", "--model", notAModel, "--levels", "13", "--data", dir, "--out", Path.Combine(dir, "x.esmi"));
        Assert.Equal(1, badModel.ExitCode);
        Assert.Contains("not an EdgeSkyrmion model file", badModel.Stderr, StringComparison.Ordinal);

        string corrupt = Path.Combine(dir, "corrupt.esmi");
        File.WriteAllBytes(corrupt, [0x08, 0x07]);
        CliProcess.Outcome badArtifact = CliProcess.Run("evaluate", "--artifact", corrupt, "--data", dir);
        Assert.Equal(1, badArtifact.ExitCode);
        Assert.Contains("schema_version 7", badArtifact.Stderr, StringComparison.Ordinal);

        string artifact = Path.Combine(dir, "small.esmi");
        ModelImageFile.Write(Snn.SmallNets.Image(hidden: 4, seed: 1), artifact);
        CliProcess.Outcome noData = CliProcess.Run("evaluate", "--artifact", artifact, "--data", missing, "--json");
        Assert.Equal(1, noData.ExitCode);
        Assert.Contains("does not exist", noData.Stderr, StringComparison.Ordinal);
    }
}
