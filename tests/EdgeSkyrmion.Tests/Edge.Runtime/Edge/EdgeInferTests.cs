using System.Text.Json;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.DeviceModel.Energy;
using EdgeSkyrmion.Edge.Energy;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Tests.Support;
using Xunit.Abstractions;

namespace EdgeSkyrmion.Tests.Edge;

/// <summary>
/// `edge infer` (the real program) on a small network programmed into a provisioned crossbar, against the cloud's
/// `evaluate --read-noise` of the same image, images and Poisson seed: the crossbar's own device-to-device spread
/// and write-verify landing differ from the compact model's draw, so the accuracies agree within a stated
/// tolerance, not exactly. The read energy is checked against the device's ledger: reads × read energy.
/// </summary>
[Collection(RealProcessCollection.Name)]
public class EdgeInferTests(ITestOutputHelper output)
{
    private const int Images = 60;
    private const int Timesteps = 30;

    /// <summary>Agreement asked of the two accuracies on 60 images (6 images).</summary>
    private const double Tolerance = 0.10;

    [Fact]
    public void CrossbarAccuracyAgreesWithEvaluateReadNoiseAndReadEnergyIsReadsTimesReadEnergy()
    {
        (string data, string artifact, string state) = SmallProgrammedDevice.Make("wrist-infer", Timesteps);
        StateTable table = Presets.Get(Presets.Default);
        EnergyTally before = EdgeDevice.Open(state).Committed.Lifetime;

        CliProcess.Outcome evaluate = CliProcess.Run("evaluate", "--artifact", artifact, "--data", data, "--count", Images.ToString(),
            "--timesteps", Timesteps.ToString(), "--read-noise", "--seed", "1", "--early-exit", "0", "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Stderr);
        CliProcess.Outcome infer = EdgeProcess.Run("infer", "--state", state, "--data", data, "--count", Images.ToString(),
            "--timesteps", Timesteps.ToString(), "--early-exit-margin", "0", "--json");
        Assert.True(infer.ExitCode == 0, infer.Stderr);

        using JsonDocument cloud = JsonDocument.Parse(evaluate.Stdout);
        using JsonDocument edge = JsonDocument.Parse(infer.Stdout);
        double cloudAccuracy = cloud.RootElement.GetProperty("accuracy").GetDouble();
        double edgeAccuracy = edge.RootElement.GetProperty("accuracy").GetDouble();
        output.WriteLine($"edge infer {edgeAccuracy:P1}, evaluate --read-noise {cloudAccuracy:P1} on {Images} images");
        // A comparison of two chance-level results would prove nothing: the network must have learned the bands.
        Assert.True(cloudAccuracy > 0.6, $"evaluate --read-noise: {cloudAccuracy:P1}");
        Assert.True(Math.Abs(edgeAccuracy - cloudAccuracy) <= Tolerance, $"edge infer {edgeAccuracy:P1} vs evaluate --read-noise {cloudAccuracy:P1}");
        Assert.Equal(Images, edge.RootElement.GetProperty("images").GetInt32());

        EnergyTally spent = EdgeDevice.Open(state).Committed.Lifetime - before;
        double eventsPerImage = edge.RootElement.GetProperty("synaptic_events_per_image").GetDouble();
        long events = (long)Math.Round(eventsPerImage * Images);
        Assert.True(events > 0, infer.Stdout);
        // Every synaptic event reads the synapse's two devices once; nothing else was read or programmed.
        Assert.Equal(2 * events, spent.Reads);
        Assert.Equal(0, spent.ProgrammingPulses);
        Assert.Equal(spent.Reads * table.ReadEnergyJ, spent.ReadEnergyJ, 1e-9 * spent.ReadEnergyJ);
        double perInferenceFj = edge.RootElement.GetProperty("energy_per_inference_fj").GetDouble();
        Assert.Equal(Units.Femtojoules(spent.ReadEnergyJ) / Images, perInferenceFj, 1e-6 * perInferenceFj);
        Directory.Delete(data, recursive: true);
    }
}
