using EdgeSkyrmion.DeviceModel.Compact;

namespace EdgeSkyrmion.Edge.Runtime;

public sealed partial class EdgeDevice
{
    /// <summary>The last temperature the device sensed, K (null before the first reading: the provisioned table holds).</summary>
    public double? TemperatureK { get; private set; }

    /// <summary>
    /// A reading of the device's temperature: reads and write-verify use the table characterized nearest to it
    /// (<see cref="TemperatureTables"/>); outside the characterized range the reading is refused and the table kept.
    /// The choice survives a full image of another shape (the rebuilt crossbar takes it again).
    /// </summary>
    public StateTable SenseTemperature(double temperatureK)
    {
        StateTable table = TemperatureTables.ForDesign(_committed.Table).At(temperatureK);
        Devices.UseTable(table);
        TemperatureK = temperatureK;
        return table;
    }
}
