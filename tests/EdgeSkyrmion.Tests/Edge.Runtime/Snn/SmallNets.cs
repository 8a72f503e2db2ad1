using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Snn;

/// <summary>Small model images whose weights are exact binary fractions, so every summation order gives the same floats.</summary>
public static class SmallNets
{
    /// <summary>States 1.0, 1.125, …, 1.75 G0: differences are multiples of 1/8.</summary>
    public static readonly double[] DyadicStatesG0 = [1.0, 1.125, 1.25, 1.375, 1.5, 1.625, 1.75];

    /// <summary>A random 784-hidden-10 image on <see cref="DyadicStatesG0"/>, weight_per_g0 = 1/4, thresholds 1/2.</summary>
    public static ModelImage Image(int hidden, int seed, int levels = 13)
    {
        var random = new Random(seed);
        var image = new ModelImage
        {
            SchemaVersion = ModelImageFile.SchemaVersion,
            ModelId = "small",
            Version = 1,
            PresetName = "dyadic",
            Levels = (uint)levels,
            Sigma = 1,
            TimestepS = 1e-3,
            MembraneTimeConstantS = 50e-3,
            MaxInputRateHz = 1000,
            Timesteps = 30,
        };
        image.StateMeansG0.AddRange(DyadicStatesG0);
        int[] sizes = [DigitSet.Pixels, hidden, DigitSet.Classes];
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            int n = sizes[l] * sizes[l + 1];
            var plus = new byte[n];
            var minus = new byte[n];
            for (int k = 0; k < n; k++)
            {
                // Mostly excitatory in the first layer so the hidden layer fires; a third of the pairs are zero.
                int level = random.Next(-(DyadicStatesG0.Length - 1) / (l == 0 ? 3 : 1), DyadicStatesG0.Length);
                if (random.Next(3) == 0) level = 0;
                if (level > 0) plus[k] = (byte)level;
                else minus[k] = (byte)-level;
            }
            image.Layers.Add(new Layer
            {
                Inputs = (uint)sizes[l],
                Outputs = (uint)sizes[l + 1],
                PlusStates = ByteString.CopyFrom(plus),
                MinusStates = ByteString.CopyFrom(minus),
                Threshold = l == 0 ? 4f : 2f,
                WeightPerG0 = 0.25f,
            });
        }
        return image;
    }

    /// <summary>A digit-like test image: a lit band of rows with varied intensities.</summary>
    public static byte[] Digit(int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[DigitSet.Pixels];
        int top = random.Next(4, 20);
        for (int p = 0; p < pixels.Length; p++)
        {
            int row = p / DigitSet.Side, column = p % DigitSet.Side;
            if (row >= top && row < top + 6 && column > 5 && column < 22) pixels[p] = (byte)random.Next(60, 256);
        }
        return pixels;
    }
}
