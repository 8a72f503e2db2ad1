using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Edge;

public class EdgeTemperatureTests
{
    [Fact]
    public void TheDeviceReadsWithItsTemperaturesTableKeepsItAcrossAReshapeAndRefusesAnUncharacterizedOne()
    {
        string dir = Path.Combine(Path.GetTempPath(), "temperature-" + Guid.NewGuid().ToString("N"));
        StateTable table = Presets.Get(Presets.Default);
        EdgeDevice device = EdgeDevice.Provision(dir, "warm-device", table, chipSeed: 2);
        Assert.Equal("mml4-310K", device.SenseTemperature(309).Name);
        Assert.Equal(309, device.TemperatureK);

        ModelImage image = TestImages.Random([16, 8, 4], 1, seed: 3);
        var (layers, targets) = ImageTargets.From(image, table);
        device.ApplyImage("v1", image.ModelId, 1, image.ToByteArray(), layers, targets);
        Assert.Equal("mml4-310K", device.Devices.Table.Name);

        Assert.Throws<ArgumentException>(() => device.SenseTemperature(330));
        Assert.Equal("mml4-310K", device.Devices.Table.Name);
        Assert.Equal(309, device.TemperatureK);
        Directory.Delete(dir, recursive: true);
    }
}
