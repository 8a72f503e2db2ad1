using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Edge.Runtime;

/// <summary>Turns a model image into the crossbar's shape and the target state of every device (W⁺, W⁻ pairs).</summary>
public static class ImageTargets
{
    public static ((int Inputs, int Outputs)[] Layers, byte[] Targets) From(ModelImage image, StateTable table)
    {
        if (image.Levels == 0)
            throw new InvalidDataException($"model image {image.ModelId} v{image.Version} is full precision; a crossbar holds quantized images only (convert with --levels).");
        if (image.Layers.Count == 0) throw new InvalidDataException($"model image {image.ModelId} has no layers.");
        if (image.StateMeansG0.Count > table.States)
            throw new InvalidDataException($"model image {image.ModelId} uses {image.StateMeansG0.Count} device states, the device's preset {table.Name} has {table.States}.");
        // Sizes are checked against the states actually carried before anything is allocated for them.
        for (int l = 0; l < image.Layers.Count; l++)
        {
            Layer layer = image.Layers[l];
            long synapses = (long)layer.Inputs * layer.Outputs;
            if (layer.PlusStates.Length != synapses || layer.MinusStates.Length != synapses)
                throw new InvalidDataException($"model image {image.ModelId}: layer {l} ({layer.Inputs}×{layer.Outputs}) has {layer.PlusStates.Length}/{layer.MinusStates.Length} device states, expected {synapses}.");
        }
        var layers = image.Layers.Select(l => ((int)l.Inputs, (int)l.Outputs)).ToArray();
        var layout = Crossbar.CrossbarLayout.FromData(layers, $"model image {image.ModelId}");
        var targets = new byte[layout.DeviceCount];
        for (int l = 0; l < image.Layers.Count; l++)
        {
            Layer layer = image.Layers[l];
            int synapses = layer.PlusStates.Length;
            ReadOnlySpan<byte> plus = layer.PlusStates.Span;
            ReadOnlySpan<byte> minus = layer.MinusStates.Span;
            for (int s = 0; s < synapses; s++)
            {
                if (plus[s] >= table.States || minus[s] >= table.States)
                    throw new InvalidDataException($"model image {image.ModelId}: layer {l} synapse {s} asks for state {Math.Max(plus[s], minus[s])}, the preset has {table.States}.");
                int device = layout.PlusDevice(l, s);
                targets[device] = plus[s];
                targets[device + 1] = minus[s];
            }
        }
        return (layers, targets);
    }
}
