using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Energy;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Crossbar;

public class DeviceArrayTests
{
    private static readonly StateTable Table = Presets.Get(Presets.Default);

    [Fact]
    public void WriteVerifyReachesTargetsByReadFlagsTheRestAndBooksItsEnergy()
    {
        var array = new DeviceArray(Table, 2000, seed: 3);
        array.BeginProgrammingSession(idleS: 3600);
        int verified = 0, readsRight = 0;
        for (int d = 0; d < array.Count; d++)
        {
            int target = d % Table.States;
            ProgramOutcome o = array.Program(d, target, maxPulses: 24, readsPerVerify: 16);
            Assert.Equal(!o.Verified, array.IsFailed(d));
            if (!o.Verified) continue;
            verified++;
            // Verification is by conductance: a device whose fixed offset shifts its states is left where it reads as the target.
            if (VerifyWindow.Contains(Table, target, array.Sense(d, 0), 16)) readsRight++;
        }
        Assert.True(verified >= 0.9 * array.Count, $"{verified} of {array.Count} verified");
        Assert.True(readsRight >= 0.999 * verified, $"{readsRight} of {verified} verified devices read inside their target's window without noise");
        EnergyTally tally = array.Ledger.Snapshot();
        Assert.Equal(tally.ProgrammingPulses * Table.PulseEnergyJ, tally.ProgrammingEnergyJ, 1e-20);
        Assert.True(tally.InitializationPulses > 0 && tally.Reads >= 2 * 16 * array.Count);
    }

    [Fact]
    public void OneClearAveragedReadAcceptsADeviceInItsTargetStateAndNeverOneInAnother()
    {
        // Without fabrication offsets a device's read is its state's mean plus read noise, so its state alone decides.
        StateTable table = Table with { DeviceToDeviceSdG0 = 0 };
        var array = new DeviceArray(table, 7000, seed: 3);
        int clearInOwn = 0;
        for (int d = 0; d < array.Count; d++)
        {
            int state = d % table.States;
            array.Drift(d, state);
            if (array.ReadsClearlyAs(d, state, 16)) clearInOwn++;
            if (state > 0) Assert.False(array.ReadsClearlyAs(d, state - 1, 16), $"device {d} in state {state} read clearly as {state - 1}");
            if (state < table.States - 1) Assert.False(array.ReadsClearlyAs(d, state + 1, 16), $"device {d} in state {state} read clearly as {state + 1}");
        }
        Assert.True(clearInOwn >= 0.9 * array.Count, $"{clearInOwn} of {array.Count} devices read clearly as the state they hold");
        // Every check is booked: 16 reads each, three checks a device but one fewer at either end of the states.
        Assert.Equal(16L * (3 * array.Count - 2 * (array.Count / table.States)), array.Ledger.Snapshot().Reads);
    }

    [Fact]
    public void ColdDevicesGetTheInitializationPulseOncePerSession()
    {
        var array = new DeviceArray(Table, 1, seed: 1);
        array.BeginProgrammingSession(idleS: 10);
        ProgramOutcome first = array.Program(0, 3, 30, 3);
        ProgramOutcome second = array.Program(0, 1, 30, 3);
        Assert.Equal(1, first.InitializationPulses);
        Assert.Equal(0, second.InitializationPulses);
        array.BeginProgrammingSession(idleS: 10);
        Assert.False(array.IsWarm(0));
    }

    [Fact]
    public void DeviceThatCannotReachItsTargetIsFlaggedFailed()
    {
        var array = new DeviceArray(Table, 2, seed: 1);
        ProgramOutcome o = array.Program(0, 5, maxPulses: 0, readsPerVerify: 1);
        Assert.False(o.Verified);
        Assert.True(array.IsFailed(0));
        Assert.Equal(1, array.FailedCount);
        Assert.True(array.Program(0, 0, 0, 1).Verified);
        Assert.Equal(0, array.FailedCount);
    }

    [Fact]
    public void SameSeedIsTheSameChip()
    {
        var a = new DeviceArray(Table, 100, seed: 9);
        var b = new DeviceArray(Table, 100, seed: 9);
        var c = new DeviceArray(Table, 100, seed: 10);
        Assert.Equal(Enumerable.Range(0, 100).Select(a.OffsetG0), Enumerable.Range(0, 100).Select(b.OffsetG0));
        Assert.NotEqual(Enumerable.Range(0, 100).Select(a.OffsetG0), Enumerable.Range(0, 100).Select(c.OffsetG0));
        double sd = Math.Sqrt(Enumerable.Range(0, 100).Average(i => a.OffsetG0(i) * a.OffsetG0(i)));
        Assert.InRange(sd, Table.DeviceToDeviceSdG0 * 0.7, Table.DeviceToDeviceSdG0 * 1.3);
    }

    [Fact]
    public void LayoutPlacesDalePairsNextToEachOther()
    {
        var layout = new CrossbarLayout([(4, 3), (3, 2)]);
        Assert.Equal(2 * (12 + 6), layout.DeviceCount);
        Assert.Equal(layout.Device(0, 1, 2, plus: true) + 1, layout.Device(0, 1, 2, plus: false));
        Assert.Equal(24, layout.Device(1, 0, 0, plus: true));
        Assert.Throws<ArgumentException>(() => new CrossbarLayout([(4, 3), (2, 2)]));
    }
}
