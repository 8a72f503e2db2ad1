using System.Security.Cryptography;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Edge.Updates;

/// <summary>
/// The device's side of a sparse delta (only synapses whose device-state pair changed: varint gaps + one packed byte
/// per synapse): decoding and application. The cloud encodes (Cloud.Updates' DeltaEncoder); the SHA-256 of the
/// serialized result proves both arrived at the same image.
/// </summary>
public static class DeltaCodec
{
    public static byte[] Digest(ModelImage image) => SHA256.HashData(image.ToByteArray());

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
}
