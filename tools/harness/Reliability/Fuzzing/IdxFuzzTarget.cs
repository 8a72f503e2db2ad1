using System.IO.Compression;
using EdgeSkyrmion.Edge.Data;

namespace EdgeSkyrmion.Harness.Reliability.Fuzzing;

/// <summary>
/// The IDX reader. First input byte: bit 0 picks the expected rank (1 = labels, 3 = images), bit 1 routes the rest
/// through a ".gz" file (<see cref="IdxFile.Read"/>, gzip decoding included) instead of <see cref="IdxFile.Parse"/>.
/// An accepted file must hold exactly as many elements as its dimensions say.
/// </summary>
public sealed class IdxFuzzTarget : IFuzzTarget
{
    private readonly string _gzipPath;

    public IdxFuzzTarget(string scratchDirectory)
    {
        Directory.CreateDirectory(scratchDirectory);
        _gzipPath = Path.Combine(scratchDirectory, "fuzz-idx.gz");
        var rng = new Random(5);
        byte[] images = [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 28, 0, 0, 0, 28, .. Enumerable.Range(0, 3 * 28 * 28).Select(_ => (byte)rng.Next(256))];
        byte[] labels = [0, 0, 8, 1, 0, 0, 0, 5, 7, 2, 1, 0, 4];
        Seeds = [[1, .. images], [0, .. labels], [3, .. Gzip(images)], [2, .. Gzip(labels)]];
    }

    public string Name => "idx";

    public IReadOnlyList<byte[]> Seeds { get; }

    public string? Run(byte[] input)
    {
        int mode = input.Length == 0 ? 0 : input[0];
        byte[] payload = input.Length == 0 ? [] : input[1..];
        int rank = (mode & 1) == 1 ? 3 : 1;
        IdxFile file;
        try
        {
            if ((mode & 2) == 0)
            {
                file = IdxFile.Parse("fuzz-input", payload, rank);
            }
            else
            {
                File.WriteAllBytes(_gzipPath, payload);
                file = IdxFile.Read(_gzipPath, rank);
            }
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }
        long elements = file.Dimensions.Aggregate(1L, (a, d) => a * d);
        if (file.Dimensions.Length != rank || elements != file.Data.Length)
            throw new FuzzInvariantException($"accepted dimensions [{string.Join(",", file.Dimensions)}] with {file.Data.Length} elements");
        return null;
    }

    private static byte[] Gzip(byte[] raw)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest)) gz.Write(raw);
        return buffer.ToArray();
    }

    public void Dispose() { }
}
