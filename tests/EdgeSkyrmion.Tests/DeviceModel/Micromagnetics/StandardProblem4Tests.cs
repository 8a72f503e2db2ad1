using EdgeSkyrmion.DeviceModel.Micromagnetics.Problems;

namespace EdgeSkyrmion.Tests.DeviceModel.Micromagnetics;

public class StandardProblem4Tests
{
    [Fact]
    public void CoarseGridSettlesAndSwitchesLikeMumax3()
    {
        var mumax3 = StandardProblem4.Reference.Mumax3Field1;
        var result = StandardProblem4.Run(field: 1, nx: 64, ny: 16, threads: 1, sampleEveryS: 50e-12);
        Assert.Equal(mumax3.Settled!.Value.X, result.Settled.Mx, 0.02);
        Assert.Equal(mumax3.Settled!.Value.Y, result.Settled.My, 0.03);
        Assert.Equal(mumax3.Samples[^1].Mx, result.Final.Mx, 0.05);
        Assert.NotNull(result.FirstMxZeroCrossingS);
        Assert.Contains(result.Warnings, w => w.Contains("exchange length"));
    }

    /// <summary>
    /// magnum.np's published trajectory (5 nm cells, float64) ran with its own γ, 0.08 % above the problem's: with that γ
    /// the whole 1 ns switch follows it (measured 2.1e-5), with the problem's it strays by 7.6e-3 — so the agreement is a
    /// check on the fields and the integrator, not a loose bound.
    /// </summary>
    [Fact]
    public void OnMagnumNpsMeshWithItsGyromagneticRatioTheSwitchFollowsItsPublishedTrajectoryAndWithTheProblemsItDoesNot()
    {
        var magnum = StandardProblem4.Reference.MagnumNpField1;
        var matched = StandardProblem4.Run(field: 1, magnum.Nx, magnum.Ny, threads: 1, sampleEveryS: 50e-12, gyromagneticRatioMPerAS: magnum.GyromagneticRatioMPerAS);
        (double deviation, double atS) = magnum.LargestDeviation(matched.Trajectory);
        Assert.True(deviation < 1e-4, $"|Δm| {deviation:E2} from magnum.np at {atS * 1e9:F2} ns");
        var problems = StandardProblem4.Run(field: 1, magnum.Nx, magnum.Ny, threads: 1, sampleEveryS: 50e-12);
        Assert.True(magnum.LargestDeviation(problems.Trajectory).Deviation > 1e-3, "the problem's γ is 0.08 % off magnum.np's and must show");
    }
}
