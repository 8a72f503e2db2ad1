using EdgeSkyrmion.DeviceModel.Compact;

namespace EdgeSkyrmion.Tests.DeviceModel;

public class TemperatureTablesTests
{
    [Fact]
    public void TheNearestCharacterizedTableServesAndOutsideTheRangeIsRefused()
    {
        TemperatureTables tables = TemperatureTables.ForDesign(Presets.Get(Presets.Default));
        Assert.Equal([300.0, 305, 310, 315], tables.Tables.Select(t => t.TemperatureK));
        Assert.Equal("mml4-310K", tables.At(309.2).Name);
        Assert.Equal("mml4-305K", tables.At(306).Name);
        Assert.Equal("mml4-315K", tables.At(317.5).Name);
        Assert.Equal("mml4-300K", tables.At(297.5).Name);
        var e = Assert.Throws<ArgumentException>(() => tables.At(318));
        Assert.Contains("outside the characterized range", e.Message);
        Assert.Throws<ArgumentException>(() => tables.At(double.NaN));
    }

    [Fact]
    public void ADesignWithOneTableServesOnlyAroundIt()
    {
        TemperatureTables tables = TemperatureTables.ForDesign(Presets.Get("mml8-300K"));
        Assert.Single(tables.Tables);
        Assert.Throws<ArgumentException>(() => tables.At(310));
    }
}
