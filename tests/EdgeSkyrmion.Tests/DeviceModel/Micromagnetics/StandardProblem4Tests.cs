using EdgeSkyrmion.DeviceModel.Micromagnetics.Problems;

namespace EdgeSkyrmion.Tests.DeviceModel.Micromagnetics;

public class StandardProblem4Tests
{
    [Fact]
    public void CoarseGridSettlesAndSwitchesLikeMumax3()
    {
        var result = StandardProblem4.Run(field: 1, nx: 64, ny: 16, threads: 1, sampleEveryS: 50e-12);
        Assert.Equal(StandardProblem4.Reference.Settled.X, result.Settled.Mx, 0.02);
        Assert.Equal(StandardProblem4.Reference.Settled.Y, result.Settled.My, 0.03);
        Assert.Equal(StandardProblem4.Reference.Field1At1Ns.X, result.Final.Mx, 0.05);
        Assert.NotNull(result.FirstMxZeroCrossingS);
        Assert.Contains(result.Warnings, w => w.Contains("exchange length"));
    }
}
