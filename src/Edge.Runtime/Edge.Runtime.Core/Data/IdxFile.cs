using System.Buffers.Binary;
using System.IO.Compression;

namespace EdgeSkyrmion.Edge.Data;

/// <summary>
/// One IDX file (LeCun's MNIST container): a big-endian magic number 0x0000TTDD (TT = element type, DD = number
/// of dimensions), DD big-endian int32 sizes, then the elements. Only unsigned bytes (type 0x08) are accepted,
/// which is what every 28×28 greyscale digit set uses. A ".gz" file is decompressed on the fly.
/// </summary>
public sealed class IdxFile
{
    private const byte UnsignedByteType = 0x08;

    public string Path { get; }
    public int[] Dimensions { get; }
    public byte[] Data { get; }

    private IdxFile(string path, int[] dimensions, byte[] data)
    {
        Path = path;
        Dimensions = dimensions;
        Data = data;
    }

    /// <summary>Reads and validates a file; every defect is an <see cref="InvalidDataException"/> naming the file.</summary>
    public static IdxFile Read(string path, int expectedDimensionCount)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file {path} does not exist.", path);
        byte[] bytes = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? ReadGzip(path) : File.ReadAllBytes(path);
        return Parse(path, bytes, expectedDimensionCount);
    }

    /// <summary>Writes unsigned bytes as an IDX file (temp file, then rename), e.g. a user's samples for `edge infer`.</summary>
    public static void Write(string path, int[] dimensions, ReadOnlySpan<byte> data)
    {
        var header = new byte[4 + 4 * dimensions.Length];
        header[2] = UnsignedByteType;
        header[3] = (byte)dimensions.Length;
        for (int d = 0; d < dimensions.Length; d++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), dimensions[d]);
        string temp = path + ".partial";
        using (FileStream f = File.Create(temp))
        {
            f.Write(header);
            f.Write(data);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Parses an in-memory image of an IDX file; <paramref name="name"/> is used in error messages.</summary>
    public static IdxFile Parse(string name, ReadOnlySpan<byte> bytes, int expectedDimensionCount)
    {
        if (bytes.Length < 4)
            throw new InvalidDataException($"{name}: truncated IDX file ({bytes.Length} bytes, the 4-byte magic number alone needs 4).");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"{name}: wrong magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8} (an IDX file starts with two zero bytes).");
        if (bytes[2] != UnsignedByteType)
            throw new InvalidDataException($"{name}: wrong magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8}: element type 0x{bytes[2]:X2} is not unsigned byte (0x08).");
        int dimensionCount = bytes[3];
        if (dimensionCount != expectedDimensionCount)
            throw new InvalidDataException($"{name}: wrong magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8}: {dimensionCount} dimensions, expected {expectedDimensionCount}.");
        int headerLength = 4 + 4 * dimensionCount;
        if (bytes.Length < headerLength)
            throw new InvalidDataException($"{name}: truncated IDX header ({bytes.Length} bytes, {headerLength} needed for {dimensionCount} dimensions).");
        var dimensions = new int[dimensionCount];
        long elements = 1;
        for (int d = 0; d < dimensionCount; d++)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(bytes[(4 + 4 * d)..]);
            if (size < 0) throw new InvalidDataException($"{name}: dimension {d} has negative size {size}.");
            dimensions[d] = size;
            elements *= size;
        }
        long expectedLength = headerLength + elements;
        if (bytes.Length < expectedLength)
            throw new InvalidDataException($"{name}: truncated: dimensions [{string.Join(" × ", dimensions)}] need {expectedLength} bytes, the file has {bytes.Length}.");
        if (bytes.Length > expectedLength)
            throw new InvalidDataException($"{name}: dimensions [{string.Join(" × ", dimensions)}] disagree with the file length: {bytes.Length - expectedLength} bytes past the last element.");
        return new IdxFile(name, dimensions, bytes[headerLength..].ToArray());
    }

    private static byte[] ReadGzip(string path)
    {
        try
        {
            using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            gz.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: not a valid gzip stream ({e.Message}).", e);
        }
    }
}
