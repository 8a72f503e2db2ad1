using EdgeSkyrmion.DeviceModel.Micromagnetics;
using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.Tests.DeviceModel.Micromagnetics;

public class ThermalTests
{
    /// <summary>Four uncoupled 2 nm cells (A = 0, no demag) in 1 T at 300 K with α = 1: each a macrospin in equilibrium.</summary>
    private static Magnet Macrospins()
    {
        var material = new MagnetMaterial { ExchangeStiffnessJPerM = 0, InterfacialDmiJPerM2 = 0, AnisotropyJPerM3ByRegion = [0, 0], GilbertDamping = 1 };
        var magnet = new Magnet(Geometry.Filled(new Mesh(2, 2, 1, 2e-9, 2e-9, 2e-9)), material, demag: false, threads: 1);
        magnet.Zeeman.FieldT = (0, 0, 1);
        magnet.SetTemperature(300, seed: 7);
        return magnet;
    }

    [Fact]
    public void BrownsFieldGivesTheLangevinMagnetization()
    {
        using Magnet magnet = Macrospins();
        // 20 fs: Brown's field in a 2 nm cell at 300 K is ≈ 17 T at this step, so longer steps leave |m| drifting.
        var heun = new Heun(magnet, 2e-14);
        double sum = 0;
        int samples = 0;
        for (int step = 1; step <= 300_000; step++)
        {
            heun.Step();
            if (step < 2_000 || step % 100 != 0) continue;
            sum += magnet.Average().Z;
            samples++;
        }
        double x = magnet.Material.SaturationMagnetizationAPerM * magnet.Mesh.CellVolumeM3 * 1.0 / (PhysicalConstants.BoltzmannJPerK * 300);
        double langevin = 1 / Math.Tanh(x) - 1 / x;
        Assert.Equal(langevin, sum / samples, 0.06);
    }

    [Fact]
    public void ASeedGivesTheSameRunAndAnotherSeedADifferentOne()
    {
        double Run(ulong seed)
        {
            using Magnet magnet = Macrospins();
            magnet.SetTemperature(300, seed);
            var heun = new Heun(magnet, 1e-13);
            for (int i = 0; i < 100; i++) heun.Step();
            return magnet.M.X[0];
        }
        Assert.Equal(Run(1), Run(1));
        Assert.NotEqual(Run(1), Run(2));
    }
}
