using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Support;

/// <summary><see cref="SmallTrainedModel"/> converted (the real `convert`) to 13 levels of the default preset and programmed into a provisioned crossbar.</summary>
public static class SmallProgrammedDevice
{
    /// <summary>Returns the data folder (which holds everything else), the converted artifact and the device's state directory.</summary>
    public static (string Data, string Artifact, string State) Make(string deviceId, int timesteps)
    {
        (string data, string model) = SmallTrainedModel.Make();
        string artifact = Path.Combine(data, "l13.esmi");
        CliProcess.Outcome convert = CliProcess.Run("convert", "--model", model, "--levels", "13", "--states", Presets.Default, "--sigma", "1",
            "--data", data, "--normalization-images", "200", "--timesteps", timesteps.ToString(), "--out", artifact, "--json");
        Assert.True(convert.ExitCode == 0, convert.Stderr);
        ModelImage image = ModelImageFile.Read(artifact);
        StateTable table = Presets.Get(Presets.Default);
        string state = Path.Combine(data, "edge");
        var (layers, targets) = ImageTargets.From(image, table);
        EdgeDevice.Provision(state, deviceId, table, chipSeed: 7).ApplyImage("v1", image.ModelId, 1, image.ToByteArray(), layers, targets);
        return (data, artifact, state);
    }
}
