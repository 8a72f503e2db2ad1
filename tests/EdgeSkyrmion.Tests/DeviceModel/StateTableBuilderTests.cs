using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.DeviceModel.Protocol;

namespace EdgeSkyrmion.Tests.DeviceModel;

public class StateTableBuilderTests
{
    private static GapReading Read(double mean, double sd) => new("read", [mean], [sd], [0], [0], [1]);

    [Fact]
    public void AStaircaseStepCountsOnlyWhenItClearsTheLastCountedStatesErrorBar()
    {
        // Three small steps (each within the error bars of its predecessor) add up to one distinguishable step.
        GapReading[] creeping = [Read(1.00, 0.02), Read(1.03, 0.02), Read(1.06, 0.02), Read(1.09, 0.02)];
        Assert.Equal([2], StateTableBuilder.StaircaseStates(creeping));

        GapReading[] clean = [Read(1.00, 0), Read(1.05, 0.01), Read(1.10, 0.01), Read(1.10, 0.01), Read(1.16, 0.01)];
        Assert.Equal([4], StateTableBuilder.StaircaseStates(clean));
    }

    [Fact]
    public void ACycleCountsTheLevelsTheLtdHalfLandsOnBetweenTheLtpSteps()
    {
        // LTP steps 1.00 → 1.10 → 1.20; LTD comes back through 1.15 and 1.05.
        GapReading[] cycle = [Read(1.00, 0.01), Read(1.10, 0.01), Read(1.20, 0.01), Read(1.15, 0.01), Read(1.05, 0.01), Read(1.00, 0.01)];
        Assert.Equal([3], StateTableBuilder.StaircaseStates(cycle.Take(3).ToList()));
        Assert.Equal([5], StateTableBuilder.CycleStates(cycle));
    }

    [Fact]
    public void MedianTakesTheUpperMiddleOfAnEvenCount()
    {
        Assert.Equal(3, StateTableBuilder.Median([4, 2, 3]));
        Assert.Equal(4, StateTableBuilder.Median([3, 4, 3, 4]));
    }
}
