using System.Runtime.InteropServices;
using SkiaSharp;

namespace EdgeSkyrmion.OperatorCli.Commands.Stdp;

/// <summary>
/// The learned input weights as an image (paper Fig. 6b): each neuron's 784 weights as a 28×28 tile, tiles in a
/// square grid (20×20 for 400 neurons), greyscale with dark = high weight as in the paper, one tile pixel drawn as
/// <c>scale</c>×<c>scale</c> screen pixels, a one-pixel light grid line between tiles.
/// </summary>
public static class WeightGridPng
{
    private const int Side = 28;

    public static void Save(string path, ReadOnlySpan<float> weights, int neurons, double weightMax, int scale = 2)
    {
        if (weights.Length != Side * Side * neurons) throw new ArgumentException($"{weights.Length} weights are not 784 × {neurons}.");
        int columns = (int)Math.Ceiling(Math.Sqrt(neurons));
        int rows = (neurons + columns - 1) / columns;
        int tile = Side * scale + 1;
        int width = columns * tile + 1, height = rows * tile + 1;
        var pixels = new byte[width * height];
        Array.Fill(pixels, (byte)200);
        for (int j = 0; j < neurons; j++)
        {
            int left = (j % columns) * tile + 1, top = (j / columns) * tile + 1;
            for (int p = 0; p < Side * Side; p++)
            {
                double w = Math.Clamp(weights[p * neurons + j] / weightMax, 0, 1);
                byte shade = (byte)Math.Round(255 * (1 - w));
                int x0 = left + (p % Side) * scale, y0 = top + (p / Side) * scale;
                for (int dy = 0; dy < scale; dy++)
                    pixels.AsSpan((y0 + dy) * width + x0, scale).Fill(shade);
            }
        }
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        IntPtr target = bitmap.GetPixels();
        for (int y = 0; y < height; y++) Marshal.Copy(pixels, y * width, target + y * bitmap.RowBytes, width);
        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".partial.png";
        File.WriteAllBytes(temp, png.ToArray());
        File.Move(temp, path, overwrite: true);
    }
}
