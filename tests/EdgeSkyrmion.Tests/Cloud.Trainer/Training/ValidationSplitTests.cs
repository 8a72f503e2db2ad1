using System.Text.Json;
using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Training;

public class ValidationSplitTests
{
    [Fact]
    public void TheLastImagesAreHeldOutAndImpossibleCountsAreRefused()
    {
        (byte[] images, byte[] labels) = SyntheticDigits.Make(100, seed: 2);
        var train = new DigitSet(DigitSplit.Train, images, labels);
        (DigitSet fit, DigitSet validation) = ValidationSplit.Carve(train, 30);
        Assert.Equal(70, fit.Count);
        Assert.Equal(30, validation.Count);
        Assert.True(validation.Image(0).SequenceEqual(train.Image(70)));
        Assert.Equal(train.Label(99), validation.Label(29));
        Assert.True(fit.Image(69).SequenceEqual(train.Image(69)));
        Assert.Throws<ArgumentException>(() => ValidationSplit.Carve(train, 100));
        Assert.Throws<ArgumentException>(() => ValidationSplit.Carve(train, -1));
    }

    [Fact]
    public void TrainReportsValidationPerEpochAndTheTestSetOnceAtTheEnd()
    {
        string data = SyntheticDigits.WriteFolder(trainCount: 200, testCount: 100);
        string model = Path.Combine(data, "m.eskm");
        CliProcess.Outcome r = CliProcess.Run("train", "--data", data, "--epochs", "2", "--hidden", "16", "--validation", "50", "--out", model, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using JsonDocument json = JsonDocument.Parse(r.Stdout);
        Assert.Equal(150, json.RootElement.GetProperty("train_images").GetInt32());
        Assert.Equal(50, json.RootElement.GetProperty("validation_images").GetInt32());
        double validation = json.RootElement.GetProperty("validation_accuracy").GetDouble();
        Assert.Equal(validation, json.RootElement.GetProperty("history")[1].GetProperty("test_accuracy").GetDouble());
        ModelFile saved = ModelFile.Load(model);
        Assert.Equal("50", saved.Metadata["validation_images"]);
        Assert.Equal(json.RootElement.GetProperty("test_accuracy").GetDouble(), double.Parse(saved.Metadata["test_accuracy"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("validation accuracy", r.Stderr);

        CliProcess.Outcome bad = CliProcess.Run("train", "--data", data, "--epochs", "1", "--validation", "200", "--out", model, "--json");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--validation must be", bad.Stderr);
        Directory.Delete(data, recursive: true);
    }
}
