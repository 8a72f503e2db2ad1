using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Conversion;

/// <summary>
/// A model image programmed into devices that read like the compact model's (<see cref="CompactSynapse.ReadG0"/>):
/// each of the two devices of every synapse has a device-to-device offset drawn once, and every read adds the
/// state's cycle-to-cycle spread. The crossbar is read afresh for every <see cref="ImagesPerRead"/> images (one
/// read of all 2×2.4 M devices costs ≈ 0.1 s; reading per image would dominate the evaluation).
/// </summary>
public sealed class DeviceReadNoise
{
    public const int ImagesPerRead = 100;

    private readonly ModelImage _image;
    private readonly StateTable _table;
    private readonly float[][] _plusOffsetG0;
    private readonly float[][] _minusOffsetG0;

    public DeviceReadNoise(ModelImage image, StateTable table, ulong seed)
    {
        if (image.Levels == ModelImageFile.FullPrecision)
            throw new ArgumentException("--read-noise: a full-precision image has no devices to read.");
        if (image.PresetName != table.Name || image.StateMeansG0.Count != table.States)
            throw new ArgumentException($"--read-noise needs an image quantized onto a device preset (convert --states PRESET); this one uses \"{image.PresetName}\" levels.");
        _image = image;
        _table = table;
        var random = new SpikeRandom(seed);
        float[] Offsets(int n)
        {
            var o = new float[n];
            for (int k = 0; k < n; k++) o[k] = (float)(table.DeviceToDeviceSdG0 * random.NextGaussian());
            return o;
        }
        _plusOffsetG0 = [.. image.Layers.Select(l => Offsets(l.PlusStates.Length))];
        _minusOffsetG0 = [.. image.Layers.Select(l => Offsets(l.MinusStates.Length))];
    }

    /// <summary>One read of every device, with its own cycle noise fixed by <paramref name="readSeed"/>.</summary>
    public SpikingNetwork Read(ulong readSeed)
    {
        var random = new SpikeRandom(readSeed);
        return SpikingNetwork.FromImage(_image, (layer, synapse, plus) =>
        {
            Layer l = _image.Layers[layer];
            int state = plus ? l.PlusStates[synapse] : l.MinusStates[synapse];
            float offset = plus ? _plusOffsetG0[layer][synapse] : _minusOffsetG0[layer][synapse];
            return CompactSynapse.ReadG0(_table, state, offset, random.NextGaussian());
        });
    }

    /// <summary>Accuracy with a fresh read per block of <see cref="ImagesPerRead"/> images.</summary>
    public SnnEvaluation.Result Evaluate(DigitSet set, int count, int timesteps, ulong seed, int earlyExitMargin, Action<double>? progress = null)
    {
        var parts = new List<SnnEvaluation.Result>();
        for (int start = 0; start < count; start += ImagesPerRead)
        {
            int n = Math.Min(ImagesPerRead, count - start);
            SpikingNetwork network = Read(seed ^ (0xC0FFEEUL + (ulong)start));
            parts.Add(SnnEvaluation.Evaluate(network, set, timesteps, seed, earlyExitMargin, start, n));
            progress?.Invoke((double)(start + n) / count);
        }
        return SnnEvaluation.Result.Combine(parts);
    }
}
