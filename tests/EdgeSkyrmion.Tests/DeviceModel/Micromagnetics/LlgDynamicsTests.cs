using EdgeSkyrmion.DeviceModel.Micromagnetics;

namespace EdgeSkyrmion.Tests.DeviceModel.Micromagnetics;

public class LlgDynamicsTests
{
    private const double FieldT = 0.1;

    private static Magnet Macrospin(double alpha)
    {
        var material = new MagnetMaterial { ExchangeStiffnessJPerM = 0, InterfacialDmiJPerM2 = 0, AnisotropyJPerM3ByRegion = [0, 0], GilbertDamping = alpha };
        var magnet = new Magnet(Geometry.Filled(new Mesh(2, 2, 1, 2e-9, 2e-9, 2e-9)), material, demag: false, threads: 1);
        magnet.Zeeman.FieldT = (0, 0, FieldT);
        return magnet;
    }

    [Fact]
    public void UndampedPrecessionIsLarmor()
    {
        using Magnet magnet = Macrospin(alpha: 0);
        magnet.SetUniform(1, 0, 0);
        var rk = new DormandPrince(magnet);
        const double duration = 1e-9;
        rk.RunUntil(duration);
        double phase = magnet.Material.GyromagneticRatioRadPerST * FieldT * duration;
        var m = magnet.Average();
        Assert.Equal(Math.Cos(phase), m.X, 1e-4);
        Assert.Equal(Math.Sin(phase), m.Y, 1e-4);
        Assert.Equal(0, m.Z, 1e-9);
    }

    [Fact]
    public void DampedPrecessionFollowsTheAnalyticSolution()
    {
        const double alpha = 0.05, duration = 0.5e-9;
        using Magnet magnet = Macrospin(alpha);
        magnet.SetUniform(1, 0, 0);
        var rk = new DormandPrince(magnet);
        rk.RunUntil(duration);
        double rate = magnet.Material.GyromagneticRatioRadPerST * FieldT / (1 + alpha * alpha);
        double phase = rate * duration;
        // tan(θ/2) = tan(θ0/2)·exp(−α·rate·t), θ0 = 90°.
        double theta = 2 * Math.Atan(Math.Exp(-alpha * rate * duration));
        var m = magnet.Average();
        Assert.Equal(Math.Cos(theta), m.Z, 1e-4);
        Assert.Equal(Math.Sin(theta) * Math.Cos(phase), m.X, 1e-4);
        Assert.Equal(Math.Sin(theta) * Math.Sin(phase), m.Y, 1e-4);
    }

    [Fact]
    public void AStepAllocatesNothing()
    {
        using var magnet = new Magnet(Geometry.Filled(new Mesh(16, 8, 1, 2e-9, 2e-9, 1e-9)), new MagnetMaterial(), threads: 1);
        magnet.Set((x, y, _) => (Math.Sin(x * 1e8), Math.Cos(y * 1e8), 1));
        var rk = new DormandPrince(magnet);
        for (int i = 0; i < 3; i++) rk.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) rk.Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TheStageSumsGiveTheSameBitsWhereverTheCellsFallInSimdLanesOrTheTail()
    {
        // 13 cells a row: one thread takes all 143 cells (tail at the end), two split at cell 65 (lanes start off the
        // one-thread alignment), so the same cell is summed in a lane in one run and in the tail in the other.
        using Magnet one = BackendAgreement.Film(13, 11, 1, threads: 1, demag: false), two = BackendAgreement.Film(13, 11, 1, threads: 2, demag: false);
        using DormandPrinceStepper a = new DormandPrince(one), b = new DormandPrince(two);
        for (int step = 0; step < 5; step++) Assert.Equal(a.Step(), b.Step());
        Assert.Equal(a.TimeS, b.TimeS);
        Assert.Equal(0, one.M.MaxDifference(two.M));
    }

    [Fact]
    public void ANaNInOneCellOfASimdLaneReachesTheStepsErrorAndStopsTheRun()
    {
        using Magnet magnet = BackendAgreement.Film(16, 8, 1, threads: 1, demag: false);
        magnet.M.Y[41] = double.NaN;
        var e = Assert.Throws<DivergenceException>(() => new DormandPrince(magnet).Step());
        Assert.Contains("the torque became NaN", e.Message);
    }
}
