using System.Security.Cryptography;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Edge.Updates;

/// <summary>
/// The difference between two model images of the same shape as sparse per-layer deltas (only synapses whose
/// device-state pair changed: varint gaps + one packed byte per synapse), and its application. The cloud encodes,
/// the device decodes; the SHA-256 of the serialized result proves both arrived at the same image.
/// </summary>
public static class DeltaCodec
{
    public static byte[] Digest(ModelImage image) => SHA256.HashData(image.ToByteArray());

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

    /// <summary>The changed synapses of one layer delta: (synapse index, W⁺ state, W⁻ state), validated against the layer size.</summary>
    public static IEnumerable<(int Synapse, byte Plus, byte Minus)> Decode(LayerDelta delta, int synapses)
    {
        byte[] gaps = delta.IndexGaps.ToByteArray();
        ReadOnlyMemory<byte> packed = delta.PackedStates.Memory;
        if (packed.Length != delta.Count)
            throw new InvalidDataException($"layer {delta.Layer} delta: count {delta.Count} but {packed.Length} packed states.");
        var result = new List<(int, byte, byte)>((int)delta.Count);
        int offset = 0;
        long index = -1;
        for (int i = 0; i < delta.Count; i++)
        {
            index += (long)Varint.Read(gaps, ref offset) + 1;
            if (index >= synapses)
                throw new InvalidDataException($"layer {delta.Layer} delta: synapse index {index} is outside the layer's {synapses} synapses.");
            byte b = packed.Span[i];
            result.Add(((int)index, (byte)(b >> 4), (byte)(b & 0x0F)));
        }
        if (offset != gaps.Length) throw new InvalidDataException($"layer {delta.Layer} delta: {gaps.Length - offset} bytes of index gaps left over.");
        return result;
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

    /// <summary>
    /// Rebuilds the target image: every field from <paramref name="header"/>, the device states from
    /// <paramref name="current"/> with the deltas applied.
    /// </summary>
    public static ModelImage Apply(ModelImage current, ModelImage header, IReadOnlyList<LayerDelta> deltas)
    {
        if (header.Layers.Count != current.Layers.Count || header.Layers.Zip(current.Layers).Any(p => p.First.Inputs != p.Second.Inputs || p.First.Outputs != p.Second.Outputs))
            throw new InvalidDataException("delta header describes another network shape than the image the device holds.");
        ModelImage next = header.Clone();
        for (int l = 0; l < next.Layers.Count; l++)
        {
            next.Layers[l].PlusStates = current.Layers[l].PlusStates;
            next.Layers[l].MinusStates = current.Layers[l].MinusStates;
        }
        var seen = new HashSet<uint>();
        foreach (LayerDelta delta in deltas)
        {
            if (delta.Layer >= next.Layers.Count)
                throw new InvalidDataException($"delta for layer {delta.Layer}, the network has {next.Layers.Count} layers.");
            if (!seen.Add(delta.Layer)) throw new InvalidDataException($"two deltas for layer {delta.Layer}.");
            Layer layer = next.Layers[(int)delta.Layer];
            byte[] plus = layer.PlusStates.ToByteArray();
            byte[] minus = layer.MinusStates.ToByteArray();
            foreach ((int s, byte p, byte m) in Decode(delta, plus.Length))
            {
                plus[s] = p;
                minus[s] = m;
            }
            layer.PlusStates = ByteString.CopyFrom(plus);
            layer.MinusStates = ByteString.CopyFrom(minus);
        }
        return next;
    }

    private static void RequireSameShape(ModelImage a, ModelImage b)
    {
        if (a.Layers.Count != b.Layers.Count || a.Layers.Zip(b.Layers).Any(p => p.First.Inputs != p.Second.Inputs || p.First.Outputs != p.Second.Outputs))
            throw new InvalidDataException("a delta needs two images of the same network shape; send a full image instead.");
    }
}
