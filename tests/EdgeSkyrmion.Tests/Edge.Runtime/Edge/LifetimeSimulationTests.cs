using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.DeviceModel.Physics;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Edge;

/// <summary>
/// The month on the wrist under a drift law moved by a barrier shift (`lifetime-curve --barrier-shift-ev`): a sensitivity
/// study of how the month holds if the law is off, on a crossbar of the default preset (states that last minutes at skin
/// temperature).
/// </summary>
public class LifetimeSimulationTests
{
    private static readonly StateTable Table = Presets.Get(Presets.Default);

    [Fact]
    public void ARaisedBarrierKeepsDevicesInTheirStatesLongerByItsBoltzmannFactor()
    {
        (string state, DigitSet test) = Device();
        var plain = LifetimeSimulation.Run(EdgeDevice.Open(state), test, new LifetimeSimulation.Options(Days: 1, Images: 10, Timesteps: 10));
        double shiftJ = 0.3 * DriftFit.ElectronVoltJ;
        var raised = LifetimeSimulation.Run(EdgeDevice.Open(state), test, new LifetimeSimulation.Options(Days: 1, Images: 10, Timesteps: 10, BarrierShiftJ: shiftJ));

        Assert.Equal(0.3, raised.BarrierShiftEv, 12);
        double meanK = new SkinTemperatureTrace(Seed: 1).MeanK;
        double factor = Math.Exp(shiftJ / (PhysicalConstants.BoltzmannJPerK * meanK));
        for (int s = 0; s < Table.States; s++)
            Assert.Equal(plain.StateLifetimesDaysAtMeanTemperature[s] * factor, raised.StateLifetimesDaysAtMeanTemperature[s],
                1e-9 * raised.StateLifetimesDaysAtMeanTemperature[s]);
        int leftPlain = plain.PerDay[0].OffTargetWithoutRefresh, leftRaised = raised.PerDay[0].OffTargetWithoutRefresh;
        Assert.True(leftPlain > 100, $"only {leftPlain} devices left their states in a day under the shipped law");
        Assert.True(leftRaised < leftPlain / 10, $"{leftRaised} left under the raised barrier, {leftPlain} under the shipped law");
        Directory.Delete(state, recursive: true);
    }

    [Fact]
    public void AShiftThatWouldMakeABarrierNegativeIsRefusedNamingTheLawsBarriers()
    {
        (string state, DigitSet test) = Device();
        var error = Assert.Throws<ArgumentException>(() =>
            LifetimeSimulation.Run(EdgeDevice.Open(state), test, new LifetimeSimulation.Options(Days: 1, Images: 10, BarrierShiftJ: -5 * DriftFit.ElectronVoltJ)));
        Assert.Contains("barrier shift of -5 eV", error.Message);
        Assert.Contains("below zero", error.Message);
        Directory.Delete(state, recursive: true);
    }

    [Fact]
    public void TheCurveCommandRefusesSuchAShiftWritingNothing()
    {
        (string state, _) = Device();
        string data = SyntheticDigits.WriteFolder(trainCount: 10, testCount: 10), outDir = Path.Combine(data, "curve");
        CliProcess.Outcome o = CliProcess.Run("lifetime-curve", "--state", state, "--data", data, "--days", "1", "--budgets-nj", "0", "--images", "5",
            "--barrier-shift-ev", "-5", "--out-dir", outDir, "--json");
        Assert.Equal(1, o.ExitCode);
        Assert.Contains("a barrier shift of -5 eV", o.Stderr);
        Assert.False(Directory.Exists(outDir));
        Directory.Delete(state, recursive: true);
        Directory.Delete(data, recursive: true);
    }

    private static (string State, DigitSet Test) Device()
    {
        ModelImage image = TestImages.Random([784, 16, 10], 1, seed: 3);
        var (layers, targets) = ImageTargets.From(image, Table);
        string state = Path.Combine(Path.GetTempPath(), "lifetime-" + Guid.NewGuid().ToString("N"));
        EdgeDevice.Provision(state, "lifetime-device", Table, chipSeed: 5).ApplyImage("v1", image.ModelId, 1, image.ToByteArray(), layers, targets);
        (byte[] images, byte[] labels) = SyntheticDigits.Make(10, seed: 1);
        return (state, new DigitSet(DigitSplit.Test, images, labels));
    }
}
