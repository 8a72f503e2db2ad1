using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Edge.Runtime;

/// <summary>
/// The SNN as the crossbar presents it: every synapse weight is read from its two devices (W⁺, W⁻), so each
/// device's own conductance offset and, with <c>readNoise</c>, one cycle-to-cycle read draw per device flow into
/// inference. One call is one read of the whole array (a snapshot held for a block of images).
/// </summary>
public static class CrossbarNetwork
{
    public static SpikingNetwork Read(ModelImage image, DeviceArray devices, CrossbarLayout layout, bool readNoise) =>
        SpikingNetwork.FromImage(image, Sense(devices, layout, readNoise));

    /// <summary>A new read of the whole array into <paramref name="network"/>'s weights (built by <see cref="Read"/>).</summary>
    public static void Reread(SpikingNetwork network, ModelImage image, DeviceArray devices, CrossbarLayout layout, bool readNoise) =>
        network.Reread(image, Sense(devices, layout, readNoise));

    private static Func<int, int, bool, double> Sense(DeviceArray devices, CrossbarLayout layout, bool readNoise)
    {
        if (layout.DeviceCount != devices.Count)
            throw new InvalidDataException($"the crossbar holds {devices.Count} devices, the image needs {layout.DeviceCount}.");
        return (layer, synapse, plus) => devices.SenseForInference(layout.PlusDevice(layer, synapse) + (plus ? 0 : 1), readNoise);
    }

    /// <summary>A fresh array of devices holding an image's targets exactly (the cloud's model of a freshly programmed chip).</summary>
    public static (DeviceArray Devices, CrossbarLayout Layout) Ideal(ModelImage image, DeviceModel.Compact.StateTable table, int chipSeed)
    {
        var (layers, targets) = ImageTargets.From(image, table);
        var layout = new CrossbarLayout(layers);
        var devices = new DeviceArray(table, layout.DeviceCount, chipSeed);
        devices.Restore(targets, new ulong[(targets.Length + 63) / 64]);
        return (devices, layout);
    }
}
