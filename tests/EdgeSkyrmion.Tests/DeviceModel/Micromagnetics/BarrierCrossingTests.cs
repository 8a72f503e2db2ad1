using EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;

namespace EdgeSkyrmion.Tests.DeviceModel.Micromagnetics;

public class BarrierCrossingTests
{
    [Fact]
    public void CrossingTheRaisedAnisotropyCostsEnergyAndTheGapBesideItCostsLess()
    {
        // Coarse (4 nm cells, one layer) to stay quick; `device derive --crossing` runs the stack.
        double[] positions = [-40e-9, 30e-9];
        var over = BarrierCrossing.Run(BarrierCrossing.Path.Over, 1, positions, gapM: 0, widthM: 96e-9, cellM: 4e-9, threads: 1);
        var gap = BarrierCrossing.Run(BarrierCrossing.Path.Gap, 1, positions, gapM: 40e-9, widthM: 96e-9, cellM: 4e-9, threads: 1);
        Assert.All(over.Points.Concat(gap.Points), p => Assert.True(p.Converged));
        double kT = 1.380649e-23 * 300;
        double overRise = (over.Points[1].EnergyJ - over.Points[0].EnergyJ) / kT, gapRise = (gap.Points[1].EnergyJ - gap.Points[0].EnergyJ) / kT;
        Assert.True(overRise > 5, $"the middle of the barrier lies {overRise:F1} k_BT above the track in front of it");
        Assert.True(gapRise < overRise, $"through the gap {gapRise:F1} k_BT, over the barrier {overRise:F1} k_BT");
        Assert.Equal(over.Points.Max(p => p.EnergyJ), over.BarrierJ);
        Assert.True(over.Points[1].RadiusM < over.Points[0].RadiusM, "the raised Ku shrinks the skyrmion");
    }

    [Fact]
    public void EveryPointIsReportedOnceInTheProfilesOrder()
    {
        var heard = new List<BarrierCrossing.Point>();
        var result = BarrierCrossing.Run(BarrierCrossing.Path.Gap, 1, [-40e-9, 0, 30e-9], gapM: 40e-9, widthM: 96e-9, cellM: 8e-9, threads: 1, pointDone: heard.Add);
        Assert.Equal(result.Points, heard);
    }

    [Fact]
    public void PositionsAndLanesThatSnapToTheSameCellAreMeasuredOnce()
    {
        // 8 nm cells: lanes 17 and 22 nm both lie in the cell centred at 20 nm, positions −39 and −37 nm in one cell too.
        (double[] positions, double[] lanes) = BarrierCrossing.Plan(BarrierCrossing.Path.Gap, [-39e-9, -37e-9, 28e-9], 48e-9, 96e-9, 8e-9, [17e-9, 22e-9, 36e-9]);
        Assert.Equal(2, lanes.Length);
        Assert.Equal(20e-9, lanes[0], 1e-15);
        Assert.Equal(36e-9, lanes[1], 1e-15);
        Assert.Equal(2, positions.Length);
        Assert.Equal(-38e-9, positions[0], 1e-15);
        var heard = new List<BarrierCrossing.Point>();
        var result = BarrierCrossing.Run(BarrierCrossing.Path.Gap, 1, [-39e-9, -37e-9, 28e-9], gapM: 48e-9, widthM: 96e-9, cellM: 8e-9, threads: 1, pointDone: heard.Add,
            lanesM: [17e-9, 22e-9, 36e-9]);
        Assert.Equal(positions.Length * lanes.Length, heard.Count);
        Assert.Equal(positions.SelectMany(s => lanes.Select(y => (s, y))), result.Points.Select(p => (p.PositionM, p.LaneM)));
    }

    [Fact]
    public void AGapMeasuredInPartsTakesItsSaddleOverEveryPartsLanes()
    {
        const double kT = 1.380649e-23 * 300;
        // The first run's cheapest lane (19 nm) is beaten at the middle by a lane the second run added (21 nm); at s = 19 the first run's stays cheapest.
        var first = Part([19, 19, 31, 31], [17, 19, 17, 19], [50, 44, 50, 46]);
        var second = Part([19, 31], [21, 21], [45, 43]);
        (double barrierJ, double positionNm, double laneNm) = BarrierCrossing.SaddleOfParts([(first, 2e-9, "a"), (second, 2e-9, "b")]);
        Assert.Equal(44 * kT, barrierJ, 1e-30);
        Assert.Equal(19, positionNm, 1e-9);
        Assert.Equal(19, laneNm, 1e-9);
        var error = Assert.Throws<ArgumentException>(() => BarrierCrossing.SaddleOfParts([(first, 2e-9, "a"), (second, 1.5e-9, "b")]));
        Assert.Contains("only parts of one passage on one mesh combine", error.Message);

        static DerivedParameters.Crossing Part(double[] s, double[] lanes, double[] kbt) =>
            new("gap", 4, 30, 160, s, [.. kbt.Select(e => e * kT)], [.. s.Select(_ => (double?)8)], kbt.Max() * kT, kbt.Max(), 31, true, lanes, lanes[0], [.. s.Select(_ => false)]);
    }

    [Fact]
    public void AGapWiderThanTheFilmIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => BarrierCrossing.Run(BarrierCrossing.Path.Gap, 1, [0], gapM: 120e-9, widthM: 96e-9, cellM: 4e-9));
        Assert.Contains("gap", error.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(2.0)]
    public void ATorqueToleranceOutsideZeroToOneTeslaIsRefused(double tesla)
    {
        var error = Assert.Throws<ArgumentException>(() => BarrierCrossing.Run(BarrierCrossing.Path.Gap, 1, [0], gapM: 40e-9, widthM: 96e-9, cellM: 8e-9, torqueToleranceT: tesla));
        Assert.Contains("torque tolerance", error.Message);
    }

    [Fact]
    public void WithSeveralLanesEveryPositionIsMeasuredOnEachAndTheBarrierTakesTheCheapestLane()
    {
        // A 48 nm gap at 8 nm cells: lanes 20 and 36 nm are cell centres.
        var result = BarrierCrossing.Run(BarrierCrossing.Path.Gap, 1, [-40e-9, 28e-9], gapM: 48e-9, widthM: 96e-9, cellM: 8e-9, threads: 1, lanesM: [20e-9, 36e-9]);
        Assert.Equal(4, result.Points.Count);
        foreach ((double lane, BarrierCrossing.Point point) in new[] { 20e-9, 36e-9, 20e-9, 36e-9 }.Zip(result.Points)) Assert.Equal(lane, point.LaneM, 1e-15);
        double cheapestAtFront = Math.Min(result.Points[0].EnergyJ, result.Points[1].EnergyJ), cheapestBeside = Math.Min(result.Points[2].EnergyJ, result.Points[3].EnergyJ);
        Assert.Equal(Math.Max(cheapestAtFront, cheapestBeside), result.BarrierJ);
        Assert.True(result.Points[0].EnergyJ > result.Points[1].EnergyJ, "in front of the barrier the lane nearer the edge costs more");
    }

    [Fact]
    public void TheSaddleIsTheHighestOfEachPositionsLowestLane()
    {
        BarrierCrossing.Point P(double s, double lane, double e) => new(s, lane, e, 10e-9, true);
        // At s = 0 the lanes cost 5 and 9, at s = 1 they cost 7 and 3: the path pays 5, then 3, and its highest is 5 (not 9).
        var saddle = BarrierCrossing.Saddle([P(0, 1, 5), P(0, 2, 9), P(1, 1, 7), P(1, 2, 3)]);
        Assert.Equal((0.0, 1.0, 5.0), (saddle.PositionM, saddle.LaneM, saddle.EnergyJ));
    }

    [Fact]
    public void ALaneThatOpenedTheSkyrmionOntoTheEdgeIsNoPath()
    {
        BarrierCrossing.Point P(double s, double lane, double e, bool opened = false) => new(s, lane, e, opened ? double.NaN : 10e-9, true, opened);
        // The annihilated texture at lane 1 is cheapest at s = 0, but no skyrmion survives it: the path pays 9 there.
        Assert.Equal(9.0, BarrierCrossing.Saddle([P(0, 1, -5, opened: true), P(0, 2, 9), P(1, 1, 7), P(1, 2, 3)]).EnergyJ);
        var error = Assert.Throws<ArgumentException>(() => BarrierCrossing.Saddle([P(0, 1, -5, opened: true), P(1, 2, 3)]));
        Assert.Contains("at s = 0.0 nm every lane opened the skyrmion onto the edge", error.Message);
    }

    [Fact]
    public void ALaneOutsideTheFilmIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => BarrierCrossing.Run(BarrierCrossing.Path.Gap, 1, [0], gapM: 40e-9, widthM: 96e-9, cellM: 8e-9, lanesM: [20e-9, 100e-9]));
        Assert.Contains("every lane must lie inside the film, between 0 and 96.0 nm", error.Message);
    }
}
