using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Conversion;

/// <summary>
/// A model image programmed into a modelled crossbar, read the way the wearable reads it: the same
/// <see cref="DeviceArray"/> and <see cref="CrossbarNetwork"/> code as `edge infer`, so each of the two devices of
/// every synapse carries its own device-to-device offset (drawn once from the chip seed) and every read adds the
/// state's cycle-to-cycle spread. The crossbar is read afresh for every <see cref="ImagesPerRead"/> images (one
/// read of all 2×2.4 M devices costs ≈ 0.1 s; reading per image would dominate the evaluation).
/// </summary>
public sealed class DeviceReadNoise
{
    public const int ImagesPerRead = 100;

    private readonly ModelImage _image;
    private readonly DeviceArray _devices;
    private readonly CrossbarLayout _layout;

    public DeviceReadNoise(ModelImage image, StateTable table, ulong seed)
    {
        if (image.Levels == ModelImageFile.FullPrecision)
            throw new ArgumentException("--read-noise: a full-precision image has no devices to read.");
        if (image.PresetName != table.Name || image.StateMeansG0.Count != table.States)
            throw new ArgumentException($"--read-noise needs an image quantized onto a device preset (convert --states PRESET); this one uses \"{image.PresetName}\" levels.");
        _image = image;
        (_devices, _layout) = CrossbarNetwork.Ideal(image, table, chipSeed: unchecked((int)seed));
    }

    /// <summary>One read of every device, with its own cycle noise fixed by <paramref name="readSeed"/>.</summary>
    public SpikingNetwork Read(ulong readSeed)
    {
        _devices.ReseedReadNoise(unchecked((int)(readSeed ^ (readSeed >> 32))));
        return CrossbarNetwork.Read(_image, _devices, _layout, readNoise: true);
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
