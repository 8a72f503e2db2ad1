using EdgeSkyrmion.DeviceModel.Micromagnetics;

namespace EdgeSkyrmion.Tests.DeviceModel.Micromagnetics;

public class BadInputTests
{
    private static readonly Mesh Small = new(4, 4, 1, 2e-9, 2e-9, 1e-9);

    [Theory]
    [InlineData(0, 10e-12, "Ms")]
    [InlineData(-1e5, 10e-12, "Ms")]
    [InlineData(956e3, -1e-12, "exchange")]
    public void UnphysicalMaterialIsRefusedByName(double ms, double a, string named)
    {
        var material = new MagnetMaterial { SaturationMagnetizationAPerM = ms, ExchangeStiffnessJPerM = a };
        var e = Assert.Throws<ArgumentException>(() => new Magnet(Geometry.Filled(Small), material, threads: 1));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void NegativeTemperatureIsRefused()
    {
        using var magnet = new Magnet(Geometry.Filled(Small), new MagnetMaterial(), threads: 1);
        var e = Assert.Throws<ArgumentException>(() => magnet.SetTemperature(-1, 1));
        Assert.Contains("temperature", e.Message);
    }

    [Fact]
    public void AGridTooLargeForTheBudgetIsRefusedBeforeAllocating()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new Magnet(Geometry.Filled(new Mesh(256, 256, 1, 2e-9, 2e-9, 1e-9)), new MagnetMaterial(), threads: 1, memoryBudgetBytes: 1 << 20));
        Assert.Contains("MiB", e.Message);
        Assert.Throws<ArgumentException>(() => new Mesh(8192, 8192, 64, 1e-9, 1e-9, 1e-9).Validated(Mesh.DefaultMemoryBudgetBytes, DemagProvider.MathNetBytesPerPaddedCell));
    }

    [Fact]
    public void CellsLargerThanTheExchangeLengthWarn()
    {
        using var magnet = new Magnet(Geometry.Filled(new Mesh(4, 4, 1, 8e-9, 8e-9, 1e-9)), new MagnetMaterial(), threads: 1);
        Assert.Contains(magnet.Warnings, w => w.Contains("exchange length"));
    }

    [Fact]
    public void ADivergingRunStopsWithTheCause()
    {
        using var magnet = new Magnet(Geometry.Filled(Small), new MagnetMaterial(), demag: false, threads: 1);
        magnet.Zeeman.FieldT = (double.NaN, 0, 0);
        var e = Assert.Throws<DivergenceException>(() => new DormandPrince(magnet).Step());
        Assert.Contains("NaN", e.Message);
    }
}
