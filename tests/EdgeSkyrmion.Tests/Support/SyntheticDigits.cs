using System.Buffers.Binary;
using EdgeSkyrmion.Edge.Data;

namespace EdgeSkyrmion.Tests.Support;

/// <summary>Small, learnable IDX datasets written to a temporary folder (each class lights its own band of rows).</summary>
public static class SyntheticDigits
{
    public static (byte[] Images, byte[] Labels) Make(int count, int seed)
    {
        var rng = new Random(seed);
        var images = new byte[count * DigitSet.Pixels];
        var labels = new byte[count];
        for (int n = 0; n < count; n++)
        {
            int label = n % DigitSet.Classes;
            labels[n] = (byte)label;
            for (int p = 0; p < DigitSet.Pixels; p++)
            {
                int row = p / DigitSet.Side;
                bool band = row >= 2 + label * 2 && row < 4 + label * 2;
                images[n * DigitSet.Pixels + p] = (byte)(band ? 200 + rng.Next(56) : rng.Next(40));
            }
        }
        return (images, labels);
    }

    public static byte[] ImagesIdx(byte[] images, int count) =>
        [.. Header(0x0803, count, DigitSet.Side, DigitSet.Side), .. images];

    public static byte[] LabelsIdx(byte[] labels) => [.. Header(0x0801, labels.Length), .. labels];

    public static byte[] Header(int magic, params int[] dims)
    {
        var header = new byte[4 + 4 * dims.Length];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), dims[i]);
        return header;
    }

    /// <summary>Writes train and t10k splits into a fresh temporary folder and returns its path.</summary>
    public static string WriteFolder(int trainCount = 200, int testCount = 100)
    {
        string dir = Path.Combine(Path.GetTempPath(), "eskt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        foreach ((DigitSplit split, int count, int seed) in new[] { (DigitSplit.Train, trainCount, 1), (DigitSplit.Test, testCount, 2) })
        {
            (byte[] images, byte[] labels) = Make(count, seed);
            (string imagesName, string labelsName) = DigitSet.FileNames(split);
            File.WriteAllBytes(Path.Combine(dir, imagesName), ImagesIdx(images, count));
            File.WriteAllBytes(Path.Combine(dir, labelsName), LabelsIdx(labels));
        }
        return dir;
    }
}
