using EdgeSkyrmion.DeviceModel.Micromagnetics.Problems;

namespace EdgeSkyrmion.Tests.DeviceModel.Micromagnetics;

public class StandardProblem3Tests
{
    /// <summary>
    /// On 12 cells an edge the flower is the lower state at 8.2 l_ex and the vortex at 8.6, and they cross near the
    /// published 8.47 l_ex (measured 8.42 here; 8.465 at 32 cells): the 3-D demag, exchange and anisotropy together.
    /// </summary>
    [Fact]
    public void TheFlowerGivesWayToTheVortexNearTheSingleDomainLimit()
    {
        var result = StandardProblem3.Run([8.2, 8.6], cellsPerEdge: 12, threads: 1);
        Assert.All(result.Points, p => Assert.True(p.Flower.Converged && p.Vortex.Converged));
        Assert.True(result.Points[0].Flower.EnergyPerKmVolume < result.Points[0].Vortex.EnergyPerKmVolume);
        Assert.True(result.Points[1].Vortex.EnergyPerKmVolume < result.Points[1].Flower.EnergyPerKmVolume);
        Assert.InRange(result.Points[0].Flower.Mz, 0.9, 1.0);
        Assert.InRange(result.Points[1].Vortex.Mx, 0.2, 0.5);
        Assert.Equal(StandardProblem3.ReferenceCrossingLex, result.CrossingLex!.Value, 0.1);
    }

    [Theory]
    [InlineData(3, new[] { 8.0, 9.0 }, "the cube takes 4–64 cells an edge (got 3).")]
    [InlineData(12, new[] { 9.0, 8.0 }, "give two or more increasing edge lengths, l_ex, all > 0.")]
    public void ACubeTooCoarseOrLengthsOutOfOrderAreRefusedByName(int cells, double[] lengths, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => StandardProblem3.Run(lengths, cells, threads: 1)).Message);
}
