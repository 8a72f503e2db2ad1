using System.Text;
using EdgeSkyrmion.Edge.Data;

namespace EdgeSkyrmion.Cloud.Personalization;

/// <summary>
/// One person's handwriting, as a fixed transform of a 28×28 digit: slant (shear), rotation, scale about the centre,
/// stroke thickness (grey-level dilation or erosion blended by how far the factor is from 1) and a mild, smooth
/// elastic warp. The parameters are drawn once per user from a seed derived from the user id, so a user writes
/// the same way in every sample and on every run.
/// </summary>
public sealed record UserStyle(double SlantDeg, double RotationDeg, double Thickness, double Scale, double ElasticAmplitudePx,
    double ElasticWavelengthPx, double ElasticPhaseRad)
{
    public const double MaxSlantDeg = 30, MaxRotationDeg = 20, MinThickness = 0.5, MaxThickness = 2, MinScale = 0.8, MaxScale = 1.2;
    public const double MaxElasticAmplitudePx = 1.2;

    /// <summary>The style of <paramref name="userId"/>; strong styles sit in the outer part of every range (demo users).</summary>
    public static UserStyle ForUser(string userId, bool strong = true)
    {
        var rng = new Random(StableSeed(userId));
        double Signed(double max) => (rng.Next(2) == 0 ? -1 : 1) * max * (strong ? 0.6 + 0.4 * rng.NextDouble() : rng.NextDouble());
        double slant = Signed(MaxSlantDeg);
        double rotation = Signed(MaxRotationDeg);
        bool thick = rng.Next(2) == 0;
        double thickness = thick ? 1 + (MaxThickness - 1) * (strong ? 0.6 + 0.4 * rng.NextDouble() : rng.NextDouble())
                                 : 1 - (1 - MinThickness) * (strong ? 0.6 + 0.4 * rng.NextDouble() : rng.NextDouble());
        double scale = 1 + (rng.Next(2) == 0 ? -1 : 1) * 0.2 * (strong ? 0.5 + 0.5 * rng.NextDouble() : rng.NextDouble());
        double amplitude = MaxElasticAmplitudePx * (0.5 + 0.5 * rng.NextDouble());
        double wavelength = 10 + 6 * rng.NextDouble();
        double phase = 2 * Math.PI * rng.NextDouble();
        return new UserStyle(slant, rotation, thickness, scale, amplitude, wavelength, phase);
    }

    /// <summary>FNV-1a of the id's UTF-8 bytes: stable across processes (string.GetHashCode is not).</summary>
    public static int StableSeed(string userId)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(userId)) hash = (hash ^ b) * 16777619;
        return unchecked((int)hash);
    }

    /// <summary>Writes the styled version of the 28×28 <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public void Apply(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.Length != DigitSet.Pixels || destination.Length != DigitSet.Pixels)
            throw new ArgumentException($"a style applies to {DigitSet.Side}×{DigitSet.Side} images ({DigitSet.Pixels} bytes), got {source.Length} and {destination.Length}.");
        Span<float> warped = stackalloc float[DigitSet.Pixels];
        Warp(source, warped);
        Span<float> morphed = stackalloc float[DigitSet.Pixels];
        Morph(warped, morphed, Thickness >= 1);
        double blend = Thickness >= 1 ? Math.Min(1, Thickness - 1) : Math.Min(1, (1 - Thickness) * 2);
        for (int p = 0; p < DigitSet.Pixels; p++)
            destination[p] = (byte)Math.Clamp(Math.Round(warped[p] + blend * (morphed[p] - warped[p])), 0, 255);
    }

    /// <summary>
    /// Inverse mapping: each output pixel samples the source (bilinear) at the point the forward transform
    /// (shear, then rotation, then scale, about the centre) sends onto it, displaced by the elastic field.
    /// </summary>
    private void Warp(ReadOnlySpan<byte> source, Span<float> destination)
    {
        const double centre = (DigitSet.Side - 1) / 2.0;
        double shear = Math.Tan(SlantDeg * Math.PI / 180);
        double theta = RotationDeg * Math.PI / 180;
        double cos = Math.Cos(theta), sin = Math.Sin(theta);
        for (int y = 0; y < DigitSet.Side; y++)
            for (int x = 0; x < DigitSet.Side; x++)
            {
                double u = (x - centre) / Scale, v = (y - centre) / Scale;
                double ru = cos * u + sin * v, rv = -sin * u + cos * v;
                // Image y grows downward: a positive slant leans the top of the digit to the right.
                double su = ru + shear * rv, sv = rv;
                double sx = su + centre + ElasticAmplitudePx * Math.Sin(2 * Math.PI * y / ElasticWavelengthPx + ElasticPhaseRad);
                double sy = sv + centre + ElasticAmplitudePx * Math.Sin(2 * Math.PI * x / ElasticWavelengthPx + 2 * ElasticPhaseRad);
                destination[y * DigitSet.Side + x] = Bilinear(source, sx, sy);
            }
    }

    private static float Bilinear(ReadOnlySpan<byte> image, double x, double y)
    {
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        return (float)((1 - fy) * ((1 - fx) * Pixel(image, x0, y0) + fx * Pixel(image, x0 + 1, y0))
            + fy * ((1 - fx) * Pixel(image, x0, y0 + 1) + fx * Pixel(image, x0 + 1, y0 + 1)));
    }

    /// <summary>Outside the image is paper (0).</summary>
    private static double Pixel(ReadOnlySpan<byte> image, int x, int y) =>
        x is < 0 or >= DigitSet.Side || y is < 0 or >= DigitSet.Side ? 0 : image[y * DigitSet.Side + x];

    /// <summary>3×3 grey-level dilation (max) or erosion (min).</summary>
    private static void Morph(ReadOnlySpan<float> image, Span<float> result, bool dilate)
    {
        for (int y = 0; y < DigitSet.Side; y++)
            for (int x = 0; x < DigitSet.Side; x++)
            {
                float best = dilate ? 0 : 255;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int px = x + dx, py = y + dy;
                        float value = px is < 0 or >= DigitSet.Side || py is < 0 or >= DigitSet.Side ? 0 : image[py * DigitSet.Side + px];
                        best = dilate ? Math.Max(best, value) : Math.Min(best, value);
                    }
                result[y * DigitSet.Side + x] = best;
            }
    }
}
