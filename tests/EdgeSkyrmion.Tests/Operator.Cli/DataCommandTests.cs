using EdgeSkyrmion.Cli;
using System.Text.Json;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Commands;

public class DataCommandTests
{
    [Fact]
    public void InfoReportsCountsHistogramAndDigestsAsJson()
    {
        string dir = SyntheticDigits.WriteFolder(50, 20);
        CliProcess.Outcome r = CliProcess.Run("data", "info", "--data", dir, "--json");
        Assert.Equal(0, r.ExitCode);
        using JsonDocument doc = JsonDocument.Parse(r.Stdout);
        JsonElement train = doc.RootElement.GetProperty("splits")[0];
        Assert.Equal(50, train.GetProperty("images").GetInt32());
        Assert.Equal(5, train.GetProperty("class_histogram")[3].GetInt32());
        Assert.Equal(64, train.GetProperty("images_file").GetProperty("sha256").GetString()!.Length);
        Assert.False(doc.RootElement.GetProperty("matches_mnist").GetBoolean());
    }

    [Fact]
    public void TruncatedIdxFileGivesClearErrorAndExitCodeOne()
    {
        string dir = SyntheticDigits.WriteFolder(50, 20);
        string images = Path.Combine(dir, "t10k-images-idx3-ubyte");
        byte[] bytes = File.ReadAllBytes(images);
        File.WriteAllBytes(images, bytes[..(bytes.Length / 2)]);
        CliProcess.Outcome r = CliProcess.Run("data", "info", "--data", dir, "--json");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("t10k-images-idx3-ubyte: truncated", r.Stderr);
        Assert.Contains("\"exit_code\": 1", r.Stdout);
    }

    [Fact]
    public void UnknownOptionIsBadInput()
    {
        CliProcess.Outcome r = CliProcess.Run("data", "info", "--no-such-option");
        Assert.Equal(1, r.ExitCode);
    }
}
