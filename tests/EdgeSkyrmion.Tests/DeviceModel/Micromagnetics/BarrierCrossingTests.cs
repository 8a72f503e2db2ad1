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
    public void AGapWiderThanTheFilmIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => BarrierCrossing.Run(BarrierCrossing.Path.Gap, 1, [0], gapM: 120e-9, widthM: 96e-9, cellM: 4e-9));
        Assert.Contains("gap", error.Message);
    }
}
