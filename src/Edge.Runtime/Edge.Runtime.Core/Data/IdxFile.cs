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

    /// <summary>The dimensions the file declares.</summary>
    public int[] Dimensions { get; }

    /// <summary>The elements, row-major: every record, or the first ones that a read with a record limit kept.</summary>
    public byte[] Data { get; }

    private IdxFile(string path, int[] dimensions, byte[] data)
    {
        Path = path;
        Dimensions = dimensions;
        Data = data;
    }

    /// <summary>Reads and validates a file; every defect is an <see cref="InvalidDataException"/> naming the file.</summary>
    /// <remarks>
    /// <paramref name="maxRecords"/> keeps only the first records along the first dimension (the file is still checked
    /// whole): a plain file is then read only that far, so a wearable classifying 1,000 test images does not hold
    /// all 10,000 (nor, for any count, a second copy of the file while parsing).
    /// </remarks>
    public static IdxFile Read(string path, int expectedDimensionCount, int? maxRecords = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file {path} does not exist.", path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return Parse(path, ReadGzip(path), expectedDimensionCount).Take(maxRecords);
        (FileStream file, int[] dimensions, int headerLength) = OpenValidated(path, expectedDimensionCount);
        using (file)
        {
            int records = dimensions.Length == 0 ? 0 : Math.Min(dimensions[0], maxRecords ?? int.MaxValue);
            var data = new byte[records * RecordLength(dimensions)];
            file.Position = headerLength;
            file.ReadExactly(data);
            return new IdxFile(path, dimensions, data);
        }
    }

    /// <summary>
    /// Opens a plain (not gzipped) IDX file whose header agrees with its length, for reading its records in place;
    /// the caller owns the stream.
    /// </summary>
    internal static (FileStream File, int[] Dimensions, int HeaderLength) OpenValidated(string path, int expectedDimensionCount)
    {
        FileStream file = File.OpenRead(path);
        try
        {
            var header = new byte[Math.Min(file.Length, 4 + 4 * 255)];
            file.ReadExactly(header);
            (int[] dimensions, int headerLength) = ParseHeader(path, header, file.Length, expectedDimensionCount);
            return (file, dimensions, headerLength);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Elements in one record: the product of all dimensions after the first.</summary>
    internal static long RecordLength(int[] dimensions) => dimensions.Skip(1).Aggregate(1L, (a, b) => a * b);

    /// <summary>The first <paramref name="maxRecords"/> records along the first dimension (all when null or larger).</summary>
    private IdxFile Take(int? maxRecords)
    {
        if (maxRecords is not { } n || Dimensions.Length == 0 || n >= Dimensions[0]) return this;
        return new IdxFile(Path, Dimensions, Data[..(int)(Data.LongLength / Dimensions[0] * n)]);
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
        (int[] dimensions, int headerLength) = ParseHeader(name, bytes, bytes.Length, expectedDimensionCount);
        return new IdxFile(name, dimensions, bytes[headerLength..].ToArray());
    }

    /// <summary>
    /// Validates the header at the start of <paramref name="bytes"/> against a file of <paramref name="fileLength"/>
    /// bytes; returns the dimensions and the header's length.
    /// </summary>
    private static (int[] Dimensions, int HeaderLength) ParseHeader(string name, ReadOnlySpan<byte> bytes, long fileLength, int expectedDimensionCount)
    {
        if (fileLength < 4)
            throw new InvalidDataException($"{name}: truncated IDX file ({fileLength} bytes, the 4-byte magic number alone needs 4).");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"{name}: wrong magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8} (an IDX file starts with two zero bytes).");
        if (bytes[2] != UnsignedByteType)
            throw new InvalidDataException($"{name}: wrong magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8}: element type 0x{bytes[2]:X2} is not unsigned byte (0x08).");
        int dimensionCount = bytes[3];
        if (dimensionCount != expectedDimensionCount)
            throw new InvalidDataException($"{name}: wrong magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8}: {dimensionCount} dimensions, expected {expectedDimensionCount}.");
        int headerLength = 4 + 4 * dimensionCount;
        if (fileLength < headerLength)
            throw new InvalidDataException($"{name}: truncated IDX header ({fileLength} bytes, {headerLength} needed for {dimensionCount} dimensions).");
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
        if (fileLength < expectedLength)
            throw new InvalidDataException($"{name}: truncated: dimensions [{string.Join(" × ", dimensions)}] need {expectedLength} bytes, the file has {fileLength}.");
        if (fileLength > expectedLength)
            throw new InvalidDataException($"{name}: dimensions [{string.Join(" × ", dimensions)}] disagree with the file length: {fileLength - expectedLength} bytes past the last element.");
        return (dimensions, headerLength);
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
