using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Cloud.Updates;

/// <summary>
/// The cloud's side of a sparse delta between two model images of the same shape: per layer, the synapses whose
/// device-state pair changed as varint index gaps and one packed byte each (W⁺ state high nibble, W⁻ low); the
/// device decodes it with <see cref="DeltaCodec"/>.
/// </summary>
public static class DeltaEncoder
{
    public static List<LayerDelta> Encode(ModelImage from, ModelImage to)
    {
        RequireSameShape(from, to);
        var deltas = new List<LayerDelta>();
        for (int l = 0; l < to.Layers.Count; l++)
        {
            ReadOnlySpan<byte> oldPlus = from.Layers[l].PlusStates.Span, oldMinus = from.Layers[l].MinusStates.Span;
            ReadOnlySpan<byte> newPlus = to.Layers[l].PlusStates.Span, newMinus = to.Layers[l].MinusStates.Span;
            var gaps = new List<byte>();
            var packed = new List<byte>();
            int previous = -1;
            for (int s = 0; s < newPlus.Length; s++)
            {
                if (oldPlus[s] == newPlus[s] && oldMinus[s] == newMinus[s]) continue;
                if (newPlus[s] > 15 || newMinus[s] > 15) throw new InvalidDataException($"layer {l} synapse {s}: states above 15 do not fit the packed delta.");
                Varint.Write(gaps, (uint)(s - previous - 1));
                packed.Add((byte)(newPlus[s] << 4 | newMinus[s]));
                previous = s;
            }
            deltas.Add(new LayerDelta
            {
                Layer = (uint)l, Count = (uint)packed.Count, IndexGaps = ByteString.CopyFrom([.. gaps]),
                PackedStates = ByteString.CopyFrom([.. packed]),
            });
        }
        return deltas;
    }

    /// <summary>The image without its device states: what a delta sends besides the changed synapses.</summary>
    public static ModelImage Header(ModelImage image)
    {
        ModelImage header = image.Clone();
        foreach (Layer layer in header.Layers)
        {
            layer.PlusStates = ByteString.Empty;
            layer.MinusStates = ByteString.Empty;
        }
        return header;
    }

    private static void RequireSameShape(ModelImage a, ModelImage b)
    {
        if (a.Layers.Count != b.Layers.Count || a.Layers.Zip(b.Layers).Any(p => p.First.Inputs != p.Second.Inputs || p.First.Outputs != p.Second.Outputs))
            throw new InvalidDataException("a delta needs two images of the same network shape; send a full image instead.");
    }
}
