using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Harness.Reliability;

/// <summary>
/// Quantized model images with random Dale-pair states: small networks built in code so chaos trials, fuzz seeds,
/// load tests and unit tests need no training run.
/// </summary>
public static class RandomImages
{
    public static ModelImage Random(int[] sizes, ulong version, int seed, string modelId = "test-model")
    {
        StateTable table = Presets.Get(Presets.Default);
        var rng = new Random(seed);
        var image = new ModelImage
        {
            SchemaVersion = WireSchema.Current, ModelId = modelId, Version = version, PresetName = table.Name, Levels = 13, Sigma = 1,
            TimestepS = 1e-3, MembraneTimeConstantS = 50e-3, MaxInputRateHz = 1000, Timesteps = 100, Normalization = "max",
        };
        image.StateMeansG0.Add(table.StateMeansG0);
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            int n = sizes[l] * sizes[l + 1];
            var plus = new byte[n];
            var minus = new byte[n];
            for (int s = 0; s < n; s++)
            {
                int level = rng.Next(-(table.States - 1), table.States);
                plus[s] = (byte)Math.Max(level, 0);
                minus[s] = (byte)Math.Max(-level, 0);
            }
            image.Layers.Add(new Layer
            {
                Inputs = (uint)sizes[l], Outputs = (uint)sizes[l + 1], Threshold = 1, WeightPerG0 = 1,
                PlusStates = ByteString.CopyFrom(plus), MinusStates = ByteString.CopyFrom(minus),
            });
        }
        return image;
    }

    /// <summary>A copy of <paramref name="image"/> at a new version with a fraction of its synapses given other levels.</summary>
    public static ModelImage Mutated(ModelImage image, ulong version, double fraction, int seed)
    {
        ModelImage next = image.Clone();
        next.Version = version;
        var rng = new Random(seed);
        foreach (Layer layer in next.Layers)
        {
            byte[] plus = layer.PlusStates.ToByteArray();
            byte[] minus = layer.MinusStates.ToByteArray();
            for (int s = 0; s < plus.Length; s++)
            {
                if (rng.NextDouble() >= fraction) continue;
                int level = rng.Next(-6, 7);
                plus[s] = (byte)Math.Max(level, 0);
                minus[s] = (byte)Math.Max(-level, 0);
            }
            layer.PlusStates = ByteString.CopyFrom(plus);
            layer.MinusStates = ByteString.CopyFrom(minus);
        }
        return next;
    }

    /// <summary>The unsigned update that programs <paramref name="image"/> whole into <paramref name="deviceId"/> (fuzz seeds, provisioning a fuzzed device).</summary>
    public static Update FullImageUpdate(ModelImage image, string deviceId) => new()
    {
        SchemaVersion = WireSchema.Current, UpdateId = $"full-{image.ModelId}-{image.Version}", DeviceId = deviceId, ModelId = image.ModelId, NewVersion = image.Version,
        Kind = UpdateKind.FullImage, Image = image, ResultSha256 = ByteString.CopyFrom(EdgeSkyrmion.Edge.Updates.DeltaCodec.Digest(image)),
    };
}
