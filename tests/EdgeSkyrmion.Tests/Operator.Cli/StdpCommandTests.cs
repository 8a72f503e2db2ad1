using EdgeSkyrmion.Cli;
using System.Text.Json;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Stdp;

public class StdpCommandTests
{
    [Fact]
    public void TrainThenEvaluateWritesModelAndWeightImageAndReportsAccuracy()
    {
        string dir = SyntheticDigits.WriteFolder(100, 50);
        string model = Path.Combine(dir, "stdp.json"), png = Path.Combine(dir, "weights.png");
        CliProcess.Outcome train = CliProcess.Run("stdp", "train", "--data", dir, "--neurons", "10", "--states", "6", "--images", "100",
            "--label-images", "100", "--out", model, "--weights-png", png, "--json");
        Assert.Equal(0, train.ExitCode);
        using JsonDocument t = JsonDocument.Parse(train.Stdout);
        Assert.Equal(100, t.RootElement.GetProperty("images").GetInt32());
        Assert.True(t.RootElement.GetProperty("learning_energy_per_sample_j").GetDouble() > 0);
        Assert.True(t.RootElement.GetProperty("programming_pulses").GetInt64() > 0);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png)[..4]);

        CliProcess.Outcome evaluate = CliProcess.Run("stdp", "evaluate", "--model", model, "--data", dir, "--json");
        Assert.Equal(0, evaluate.ExitCode);
        using JsonDocument e = JsonDocument.Parse(evaluate.Stdout);
        Assert.Equal(50, e.RootElement.GetProperty("images").GetInt32());
        Assert.InRange(e.RootElement.GetProperty("accuracy").GetDouble(), 0.3, 1.0);
    }

    [Theory]
    [InlineData("--neurons", "0", "--neurons 0")]
    [InlineData("--states", "1", "--states 1")]
    [InlineData("--states", "many", "--states many")]
    public void BadNetworkShapeIsRefusedWithExitCodeOneAndNoFile(string option, string value, string message)
    {
        string dir = SyntheticDigits.WriteFolder(20, 10);
        string model = Path.Combine(dir, "never.json");
        CliProcess.Outcome r = CliProcess.Run("stdp", "train", "--data", dir, "--images", "10", option, value, "--out", model, "--json");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void EvaluatingAFileOfAnotherFormatIsBadInput()
    {
        string dir = SyntheticDigits.WriteFolder(20, 10);
        string model = Path.Combine(dir, "other.json");
        File.WriteAllText(model, """{"format":"edgeskyrmion-stdp","version":9}""");
        CliProcess.Outcome r = CliProcess.Run("stdp", "evaluate", "--model", model, "--data", dir, "--json");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("version 9", r.Stderr);
    }
}
