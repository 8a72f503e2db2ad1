using System.Text.Json;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;
using Xunit.Abstractions;

namespace EdgeSkyrmion.Tests.Edge;

/// <summary>
/// Refresh every T seconds (<see cref="RefreshIntervalStudy"/>, `refresh-interval`) on a small trained network programmed
/// into a crossbar of the default preset, whose drift law (the micromagnetic barrier) empties a state in minutes at skin
/// temperature.
/// </summary>
[Collection(RealProcessCollection.Name)]
public class RefreshIntervalStudyTests(ITestOutputHelper output)
{
    private const int Images = 60;

    [Fact]
    public void RefreshingEverySecondKeepsTheAccuracyThatADailyRefreshLosesAndCostsMoreReadsADay()
    {
        (string data, _, string state) = SmallProgrammedDevice.Make("wrist-interval", timesteps: 30);
        byte[] stored = File.ReadAllBytes(Path.Combine(state, EdgeDevice.StateFileName));
        var test = DigitSet.Load(data, DigitSplit.Test);
        RefreshIntervalStudy.Result r = RefreshIntervalStudy.Run(EdgeDevice.Open(state), test, [1, 86_400], new RefreshIntervalStudy.Options(Images, Timesteps: 30));
        RefreshIntervalStudy.Interval second = r.Intervals[0], day = r.Intervals[1];
        output.WriteLine($"just refreshed {r.RefreshedAccuracy:P1}; every 1 s: worst {second.WorstAccuracy:P1}, {second.OffTargetBeforeRefresh} off target, {second.RefreshEnergyNjPerDay:G4} nJ/day; " +
            $"every day: worst {day.WorstAccuracy:P1}, {day.OffTargetBeforeRefresh} off target, {day.RefreshEnergyNjPerDay:G4} nJ/day");
        Assert.True(r.RefreshedAccuracy > 0.6, $"the network must have learned the bands: {r.RefreshedAccuracy:P1}");
        Assert.True(second.WorstAccuracy >= r.RefreshedAccuracy - 0.05, $"every second: {second.WorstAccuracy:P1} against {r.RefreshedAccuracy:P1} just refreshed");
        Assert.True(day.WorstAccuracy < r.RefreshedAccuracy - 0.2, $"every day: {day.WorstAccuracy:P1} against {r.RefreshedAccuracy:P1} just refreshed");
        Assert.True(second.OffTargetBeforeRefresh < day.OffTargetBeforeRefresh / 10, $"{second.OffTargetBeforeRefresh} off target after 1 s, {day.OffTargetBeforeRefresh} after a day");
        // Every session re-verifies every device, so reads a day scale with the sessions; pulses follow the drift instead.
        Assert.True(second.ReadEnergyNjPerDay > 10_000 * day.ReadEnergyNjPerDay, $"reads {second.ReadEnergyNjPerDay:G4} against {day.ReadEnergyNjPerDay:G4} nJ/day");
        Assert.Equal(second.ReadEnergyNjPerDay + second.PulseEnergyNjPerDay, second.RefreshEnergyNjPerDay, 1e-9 * second.RefreshEnergyNjPerDay);
        Assert.Equal(86_400, second.SessionsPerDay);
        Assert.Equal(stored, File.ReadAllBytes(Path.Combine(state, EdgeDevice.StateFileName)));
        Directory.Delete(data, recursive: true);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    [InlineData(86_401.0)]
    [InlineData(double.NaN)]
    public void AnIntervalOutsideZeroToADayIsRefused(double seconds)
    {
        var table = Presets.Get(Presets.Default);
        ModelImage image = TestImages.Random([64, 16, 10], 1, seed: 3);
        var (layers, targets) = ImageTargets.From(image, table);
        string state = Path.Combine(Path.GetTempPath(), "interval-" + Guid.NewGuid().ToString("N"));
        EdgeDevice.Provision(state, "interval-device", table, chipSeed: 5).ApplyImage("v1", image.ModelId, 1, image.ToByteArray(), layers, targets);
        (byte[] images, byte[] labels) = SyntheticDigits.Make(20, seed: 1);
        var error = Assert.Throws<ArgumentException>(() => RefreshIntervalStudy.Run(EdgeDevice.Open(state), new DigitSet(DigitSplit.Test, images, labels), [60, seconds],
            new RefreshIntervalStudy.Options(10)));
        Assert.Contains("refresh interval", error.Message);
        Directory.Delete(state, recursive: true);
    }

    [Fact]
    public void TheCommandWritesItsTableAndChartsAndRefusesABadIntervalBeforeReadingAnything()
    {
        (string data, _, string state) = SmallProgrammedDevice.Make("wrist-interval", timesteps: 30);
        string outDir = Path.Combine(data, "ri");
        CliProcess.Outcome bad = CliProcess.Run("refresh-interval", "--state", state, "--data", data, "--intervals-s", "60,abc", "--out-dir", outDir, "--json");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--intervals-s: 'abc'", bad.Stderr);
        Assert.False(Directory.Exists(outDir));

        CliProcess.Outcome ok = CliProcess.Run("refresh-interval", "--state", state, "--data", data, "--intervals-s", "10,3600", "--images", "20", "--out-dir", outDir, "--json");
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        using JsonDocument json = JsonDocument.Parse(ok.Stdout);
        JsonElement intervals = json.RootElement.GetProperty("result").GetProperty("intervals");
        Assert.Equal([10.0, 3600.0], intervals.EnumerateArray().Select(x => x.GetProperty("interval_s").GetDouble()));
        string csv = json.RootElement.GetProperty("csv").GetString()!;
        Assert.Equal(3, File.ReadAllLines(csv).Length);
        foreach (string png in new[] { "accuracy_png", "energy_png" })
            Assert.True(new FileInfo(json.RootElement.GetProperty(png).GetString()!).Length > 1000, png);
        Directory.Delete(data, recursive: true);
    }
}
