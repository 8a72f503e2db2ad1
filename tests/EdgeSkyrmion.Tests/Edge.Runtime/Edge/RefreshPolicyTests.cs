using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Tests.Crossbar;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Edge;

public class RefreshPolicyTests
{
    private static readonly StateTable Table = Presets.Get(Presets.Default);

    [Theory]
    [InlineData(0)]
    [InlineData(5e-12)]
    [InlineData(50e-12)]
    [InlineData(1e-9)]
    public void ASessionNeverSpendsMoreThanItsBudgetAndRestoresWhatItReaches(double budgetJ)
    {
        var (layout, targets, devices) = Crossbar(Table);
        DriftLaw law = DeviceAgingTests.Law(down: 2e-4, up: 1e-4);
        DeviceAging.Age(devices, law, 4 * 3600, 310, seed: 2);
        int offBefore = devices.CountOffTarget(targets);
        Assert.True(offBefore > 100, $"only {offBefore} devices drifted");

        var policy = new RefreshPolicy(layout, targets, law, 310, new ProgrammingOptions());
        for (int session = 0; session < 3; session++)
        {
            RefreshPolicy.Session s = policy.Run(devices, budgetJ, idleS: 86_400);
            Assert.True(s.Spent.TotalEnergyJ <= budgetJ, $"session {session} spent {s.Spent.TotalEnergyJ:E3} J of {budgetJ:E3} J");
            Assert.True(s.BudgetExhausted || s.DevicesChecked == layout.DeviceCount);
        }
        int offAfter = devices.CountOffTarget(targets);
        // Below one device's worst case nothing may be touched.
        if (budgetJ < RefreshPolicy.WorstCaseJ(Table, new ProgrammingOptions())) Assert.Equal(offBefore, offAfter);
        else Assert.True(offAfter < offBefore, $"{offAfter} off target after refresh, {offBefore} before");
    }

    [Fact]
    public void TheOutputLayerIsRefreshedFirst()
    {
        var (layout, targets, devices) = Crossbar(Table);
        var drifted = targets.Select(t => (byte)(t == 0 ? 1 : t - 1)).ToArray();
        devices.Restore(drifted, new ulong[(targets.Length + 63) / 64]);
        var policy = new RefreshPolicy(layout, targets, DeviceAgingTests.Law(), 310, new ProgrammingOptions());
        policy.Run(devices, budgetJ: 20 * RefreshPolicy.WorstCaseJ(Table, new ProgrammingOptions()), idleS: 86_400);
        int firstOutput = layout.Device(1, 0, 0, plus: true);
        int fixedOutput = Enumerable.Range(firstOutput, layout.DeviceCount - firstOutput).Count(d => devices.State(d) == targets[d]);
        int fixedHidden = Enumerable.Range(0, firstOutput).Count(d => devices.State(d) == targets[d]);
        Assert.True(fixedOutput >= 20, $"{fixedOutput} output-layer devices restored");
        Assert.Equal(0, fixedHidden);
    }

    [Fact]
    public void DevicesPulsedThoughTheyHeldTheirTargetAreCountedApartFromThoseThatLeftIt()
    {
        // Read noise four times the table's makes verify reads of devices that hold their targets cross state boundaries.
        var (layout, targets, devices) = Crossbar(Table with { StateSdsG0 = Table.StateSdsG0.Select(sd => 4 * sd).ToArray() });
        var policy = new RefreshPolicy(layout, targets, DeviceAgingTests.Law(), 310, new ProgrammingOptions());

        RefreshPolicy.Session undrifted = policy.Run(devices, double.PositiveInfinity, idleS: 86_400);
        Assert.True(undrifted.DevicesReprogrammed > 0, "no noisy read led to a pulse");
        Assert.Equal(undrifted.DevicesReprogrammed, undrifted.DevicesReprogrammedOnTarget);

        // Now some devices really left: two states away, far beyond any read's reach.
        devices.UseTable(Table);
        devices.Restore(targets, new ulong[(targets.Length + 63) / 64]);
        int[] left = Enumerable.Range(0, layout.DeviceCount).Where(d => d % 97 == 0).ToArray();
        foreach (int d in left) devices.Drift(d, targets[d] >= 2 ? targets[d] - 2 : targets[d] + 2);
        RefreshPolicy.Session drifted = policy.Run(devices, double.PositiveInfinity, idleS: 86_400);
        Assert.Equal(left.Length, drifted.DevicesReprogrammed - drifted.DevicesReprogrammedOnTarget);
    }

    [Fact]
    public void ACrossbarThatHoldsItsImageIsCheckedWithAboutOneAveragedReadADevice()
    {
        var (layout, targets, devices) = Crossbar(Table);
        var options = new ProgrammingOptions();
        RefreshPolicy.Session s = new RefreshPolicy(layout, targets, DeviceAgingTests.Law(), 310, options).Run(devices, double.PositiveInfinity, idleS: 86_400);
        Assert.Equal(layout.DeviceCount, s.DevicesChecked);
        // Write-verify alone would read every device twice (a confirming second average); the check reads most once.
        long reads = devices.Ledger.Snapshot().Reads;
        Assert.InRange(reads, (long)layout.DeviceCount * options.ReadsPerVerify, (long)(1.2 * layout.DeviceCount * options.ReadsPerVerify));
    }

    [Fact]
    public void TheOrderIsTheOutputLayerFirstThenTheStatesThatLeaveFastestThenTheDeviceIndex()
    {
        var (layout, targets, _) = Crossbar(Table);
        // Two states share a rate, so the index must order their devices together.
        DriftLaw law = DeviceAgingTests.Law() with { DownRatesPerS = [0, 3e-4, 1e-4, 3e-4, 2e-4, 5e-5, 1e-4], UpRatesPerS = [0, 0, 0, 0, 0, 0, 0] };
        int[] layerOf = [.. Enumerable.Range(0, layout.Layers.Count).SelectMany(l => Enumerable.Repeat(l, 2 * layout.Layers[l].Inputs * layout.Layers[l].Outputs))];
        int[] expected = [.. Enumerable.Range(0, targets.Length).OrderByDescending(d => layerOf[d]).ThenByDescending(d => law.DownRatePerS(targets[d], 310))
            .ThenBy(d => d)];
        Assert.Equal(expected, new RefreshPolicy(layout, targets, law, 310, new ProgrammingOptions()).Order.ToArray());
    }

    /// <summary>A random image's targets on a 64-16-10 crossbar of <paramref name="table"/>, every device holding its target.</summary>
    private static (CrossbarLayout Layout, byte[] Targets, DeviceArray Devices) Crossbar(StateTable table)
    {
        var (layers, targets) = ImageTargets.From(TestImages.Random([64, 16, 10], 1, seed: 3), table);
        var layout = new CrossbarLayout(layers);
        var devices = new DeviceArray(table, layout.DeviceCount, seed: 5);
        devices.Restore(targets, new ulong[(targets.Length + 63) / 64]);
        return (layout, targets, devices);
    }
}
