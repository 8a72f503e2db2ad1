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

    [Fact]
    public void TablesOfOneDesignThatResolveDifferentStateCountsFormOneFamilyPerCount()
    {
        // The 33 nm gap resolves 8 states at 300 and 310 K and 7 at 305 and 315 K: a device's state index keeps its meaning only within a count.
        TemperatureTables eight = TemperatureTables.ForDesign(Presets.Get("mml4-is1.32-300K"));
        TemperatureTables seven = TemperatureTables.ForDesign(Presets.Get("mml4-is1.32-315K"));
        Assert.Equal(["mml4-is1.32-300K", "mml4-is1.32-310K"], eight.Tables.Select(t => t.Name));
        Assert.Equal(["mml4-is1.32-305K", "mml4-is1.32-315K"], seven.Tables.Select(t => t.Name));
        Assert.All(eight.Tables, t => Assert.Equal(8, t.States));
        Assert.All(seven.Tables, t => Assert.Equal(7, t.States));
        Assert.Equal("mml4-is1.32-310K", eight.At(306).Name);
    }
}
