namespace EdgeSkyrmion.Edge.Crossbar;

/// <summary>
/// Where each synapse of a fully connected network lives in a <see cref="DeviceArray"/>. Each signed weight is a
/// Dale pair of devices (W⁺, W⁻) stored next to each other; pairs are row-major by presynaptic input per layer,
/// so one input spike reads one contiguous run of devices.
/// </summary>
public sealed class CrossbarLayout
{
    private readonly int[] _layerStart;

    public IReadOnlyList<(int Inputs, int Outputs)> Layers { get; }
    public int DeviceCount { get; }
    public int SynapseCount => DeviceCount / 2;

    /// <summary>A layout described by a file or an update: an impossible shape is bad data, not a caller's bug.</summary>
    public static CrossbarLayout FromData(IReadOnlyList<(int Inputs, int Outputs)> layers, string source)
    {
        try
        {
            return new CrossbarLayout(layers);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"{source}: impossible network shape ({e.Message}).", e);
        }
    }

    public CrossbarLayout(IReadOnlyList<(int Inputs, int Outputs)> layers)
    {
        if (layers.Count == 0) throw new ArgumentException("a crossbar needs at least one layer.");
        _layerStart = new int[layers.Count];
        long devices = 0;
        for (int l = 0; l < layers.Count; l++)
        {
            (int inputs, int outputs) = layers[l];
            if (inputs < 1 || outputs < 1) throw new ArgumentException($"layer {l} has shape {inputs}×{outputs}.");
            if (l > 0 && inputs != layers[l - 1].Outputs)
                throw new ArgumentException($"layer {l} takes {inputs} inputs but layer {l - 1} gives {layers[l - 1].Outputs}.");
            _layerStart[l] = checked((int)devices);
            devices += 2L * inputs * outputs;
        }
        DeviceCount = checked((int)devices);
        Layers = layers.ToArray();
    }

    /// <summary>Device index of the W⁺ (plus) or W⁻ device of synapse (input, output) in a layer.</summary>
    public int Device(int layer, int input, int output, bool plus) =>
        _layerStart[layer] + 2 * (input * Layers[layer].Outputs + output) + (plus ? 0 : 1);

    /// <summary>Device index of the W⁺ device of a synapse given its row-major index within the layer.</summary>
    public int PlusDevice(int layer, int synapse) => _layerStart[layer] + 2 * synapse;

    public string Shape => string.Join("-", Layers.Select(l => l.Inputs).Append(Layers[^1].Outputs));
}
