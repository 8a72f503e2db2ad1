using System.Diagnostics;
using System.Text.Json;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Edge;

/// <summary>
/// `edge refresh` on real state directories, as real processes: one session of the refresh policy on the device's own
/// crossbar (the default preset, whose states leave in minutes at skin temperature), committed and booked in its ledger.
/// </summary>
[Collection(RealProcessCollection.Name)]
public class EdgeRefreshTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly StateTable Table = Presets.Get(Presets.Default);

    [Fact]
    public void ARefreshWritesDriftedDevicesBackBooksItsEnergyAndTheStatesSurviveReopening()
    {
        string dir = Flashed();
        Assert.Equal(0, EdgeProcess.Run("age", "--state", dir, "--hours", "1", "--temperature", "310", "--json").ExitCode);
        double lifetimeBefore = EdgeDevice.Open(dir).Committed.Lifetime.TotalEnergyJ;

        using JsonDocument r = Refresh(dir, "1000000");
        JsonElement refresh = r.RootElement.GetProperty("refresh");
        int before = refresh.GetProperty("off_target_before").GetInt32(), after = refresh.GetProperty("off_target_after").GetInt32();
        Assert.True(before > 100, $"only {before} devices drifted in an hour");
        Assert.True(after < before / 10, $"{after} off target after the refresh, {before} before");
        Assert.Equal(refresh.GetProperty("devices").GetInt32(), refresh.GetProperty("devices_checked").GetInt32());
        Assert.False(refresh.GetProperty("budget_exhausted").GetBoolean());

        EdgeDevice reopened = EdgeDevice.Open(dir);
        Assert.Equal(after, reopened.OffTarget());
        double spentJ = r.RootElement.GetProperty("energy").GetProperty("total_energy_fj").GetDouble() * 1e-15;
        Assert.True(spentJ > 0);
        Assert.Equal(lifetimeBefore + spentJ, reopened.Committed.Lifetime.TotalEnergyJ, 1e-6 * spentJ);
        Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
    }

    [Fact]
    public void KillNineDuringARefreshLeavesTheStatesAndTheLedgerFromBeforeOrAfterIt()
    {
        string baseDir = Flashed([784, 300, 10]);
        var aging = EdgeDevice.Open(baseDir);
        Assert.True(aging.Age(3600, 310, seed: 4).DevicesMoved > 1000);
        string root = Path.GetDirectoryName(baseDir)!;
        string after = EdgeProcess.CopyDirectory(baseDir, Path.Combine(root, "after"));
        EdgeDevice before = EdgeDevice.Open(baseDir);
        byte[] statesBefore = before.Devices.States.ToArray();
        double ledgerBefore = before.Committed.Lifetime.TotalEnergyJ;

        // The session is deterministic (the chip's noise is seeded), so a run to the end is what "after" means.
        var timer = Stopwatch.StartNew();
        Assert.Equal(0, EdgeProcess.Run("refresh", "--state", after, "--budget-nj", "1000000", "--json").ExitCode);
        int fullMs = (int)timer.ElapsedMilliseconds;
        EdgeDevice refreshed = EdgeDevice.Open(after);
        byte[] statesAfter = refreshed.Devices.States.ToArray();
        double ledgerAfter = refreshed.Committed.Lifetime.TotalEnergyJ;
        Assert.False(statesBefore.AsSpan().SequenceEqual(statesAfter));

        string[] killed = EdgeProcess.KilledRuns(baseDir, root, 10, fullMs / 3, fullMs * 11 / 10, seed: 23, "refresh", "--budget-nj", "1000000", "--json");
        int onBefore = 0, onAfter = 0;
        for (int trial = 0; trial < killed.Length; trial++)
        {
            EdgeDevice d = EdgeDevice.Open(killed[trial]);
            byte[] states = d.Devices.States.ToArray();
            bool isBefore = states.AsSpan().SequenceEqual(statesBefore) && d.Committed.Lifetime.TotalEnergyJ == ledgerBefore;
            bool isAfter = states.AsSpan().SequenceEqual(statesAfter) && d.Committed.Lifetime.TotalEnergyJ == ledgerAfter;
            Assert.True(isBefore || isAfter, $"trial {trial}: the states and ledger are neither those before the refresh nor those after");
            if (isBefore) onBefore++; else onAfter++;
        }
        output.WriteLine($"10 kills in a {fullMs} ms run: {onBefore} before the refresh, {onAfter} after");
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void ASessionThatRunsOutOfBudgetIsResumedByTheNextWhereItStopped()
    {
        string dir = Flashed();
        // One device's worst case (the reserve) and the checks of about 1,000 of the 2,368 devices that hold their states:
        // the session stops inside the order.
        var options = new ProgrammingOptions();
        double budgetJ = RefreshPolicy.WorstCaseJ(Table, options) + 1000 * options.ReadsPerVerify * Table.ReadEnergyJ;
        string budgetNj = (budgetJ * 1e9).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        using JsonDocument first = Refresh(dir, budgetNj);
        JsonElement a = first.RootElement.GetProperty("refresh");
        Assert.True(a.GetProperty("budget_exhausted").GetBoolean());
        Assert.Equal(0, a.GetProperty("started_at").GetInt32());
        int next = a.GetProperty("next_starts_at").GetInt32();
        Assert.Equal(a.GetProperty("devices_checked").GetInt32(), next);
        Assert.True(a.GetProperty("budget_j").GetDouble() >= first.RootElement.GetProperty("energy").GetProperty("total_energy_fj").GetDouble() * 1e-15);

        using JsonDocument second = Refresh(dir, budgetNj);
        JsonElement b = second.RootElement.GetProperty("refresh");
        Assert.Equal(next, b.GetProperty("started_at").GetInt32());
        Assert.Equal(next + b.GetProperty("devices_checked").GetInt32(), b.GetProperty("next_starts_at").GetInt32());
        Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
    }

    [Fact]
    public void ADeviceWithoutAModelHasNothingToRefreshAndNothingChanges()
    {
        string root = Path.Combine(Path.GetTempPath(), "refresh-" + Guid.NewGuid().ToString("N"));
        string dir = Path.Combine(root, "edge");
        EdgeDevice.Provision(dir, "refresh-device", Table, chipSeed: 5);
        byte[] state = File.ReadAllBytes(Path.Combine(dir, EdgeDevice.StateFileName));
        CliProcess.Outcome o = EdgeProcess.Run("refresh", "--state", dir, "--budget-nj", "10", "--json");
        Assert.Equal(1, o.ExitCode);
        Assert.Contains("holds no model yet", o.Stderr);
        Assert.Equal(state, File.ReadAllBytes(Path.Combine(dir, EdgeDevice.StateFileName)));
        Directory.Delete(root, recursive: true);
    }

    private static JsonDocument Refresh(string dir, string budgetNj)
    {
        CliProcess.Outcome o = EdgeProcess.Run("refresh", "--state", dir, "--budget-nj", budgetNj, "--temperature", "310", "--json");
        Assert.True(o.ExitCode == 0, o.Stderr);
        return JsonDocument.Parse(o.Stdout);
    }

    private static string Flashed(int[]? sizes = null)
    {
        string dir = Path.Combine(Path.GetTempPath(), "refresh-" + Guid.NewGuid().ToString("N"), "edge");
        ModelImage v1 = TestImages.Random(sizes ?? [64, 16, 10], 1, seed: 11);
        var (layers, targets) = ImageTargets.From(v1, Table);
        EdgeDevice.Provision(dir, "refresh-device", Table, chipSeed: 5).ApplyImage("v1", v1.ModelId, 1, v1.ToByteArray(), layers, targets);
        return dir;
    }
}
