using System.Security.Cryptography;

namespace EdgeSkyrmion.Edge.Durability;

/// <summary>
/// Envelope of every durable file of the edge state directory: 4-byte magic, uint32 format version, the payload,
/// then the SHA-256 of magic + version + payload. A file whose digest does not match was not written by a
/// completed <see cref="AtomicFile.Write"/> (or was damaged) and is refused.
/// </summary>
public static class ChecksummedFile
{
    private const int DigestLength = 32;

    /// <summary>BinaryWriter's own default: UTF-8, no byte-order mark, invalid text is an error.</summary>
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Writes the envelope around the payload that <paramref name="writePayload"/> writes, crash-safely
    /// (<see cref="AtomicFile"/>), hashing as it goes: no copy of the payload is held in memory (a wearable's state
    /// is 15 MB for the paper's network).
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> magic, uint version, Action<BinaryWriter> writePayload)
    {
        byte[] header = Header(magic, version);
        AtomicFile.Write(path, file => WriteSealed(file, header, writePayload));
    }

    /// <summary>The envelope around <paramref name="payload"/>, in memory (for tools that re-seal edited payloads).</summary>
    public static byte[] Seal(ReadOnlySpan<byte> magic, uint version, ReadOnlySpan<byte> payload)
    {
        byte[] copy = payload.ToArray();
        using var buffer = new MemoryStream();
        WriteSealed(buffer, Header(magic, version), w => w.Write(copy));
        return buffer.ToArray();
    }

    private static byte[] Header(ReadOnlySpan<byte> magic, uint version)
    {
        var header = new byte[8];
        magic.CopyTo(header);
        BitConverter.TryWriteBytes(header.AsSpan(4), version);
        return header;
    }

    private static void WriteSealed(Stream destination, byte[] header, Action<BinaryWriter> writePayload)
    {
        using var sha = SHA256.Create();
        // A hash algorithm as a CryptoStream transform passes the bytes through unchanged while hashing them.
        using var hashing = new CryptoStream(destination, sha, CryptoStreamMode.Write, leaveOpen: true);
        using (var w = new BinaryWriter(hashing, StrictUtf8, leaveOpen: true))
        {
            w.Write(header);
            writePayload(w);
        }
        hashing.FlushFinalBlock();
        destination.Write(sha.Hash!);
    }

    /// <summary>
    /// Checks magic, version and digest, then reads the payload with <paramref name="readPayload"/>. A payload that
    /// ends early or holds a malformed string length is an <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    public static T Read<T>(string path, ReadOnlySpan<byte> magic, uint supportedVersion, string what, Func<BinaryReader, T> readPayload)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8 + DigestLength || !bytes.AsSpan(0, 4).SequenceEqual(magic))
            throw new InvalidDataException($"{path} is not an edge {what} file (wrong magic or too short).");
        uint version = BitConverter.ToUInt32(bytes, 4);
        if (version != supportedVersion)
            throw new InvalidDataException($"{path}: {what} format version {version} is {(version > supportedVersion ? "newer than" : "not")} the version this runtime reads ({supportedVersion}); state left unchanged.");
        Span<byte> digest = stackalloc byte[DigestLength];
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - DigestLength), digest);
        if (!digest.SequenceEqual(bytes.AsSpan(bytes.Length - DigestLength)))
            throw new InvalidDataException($"{path}: {what} checksum mismatch (damaged or incompletely written file).");
        try
        {
            // Read in place: state files hold megabytes of device states.
            using var r = new BinaryReader(new MemoryStream(bytes, 8, bytes.Length - 8 - DigestLength, writable: false));
            return readPayload(r);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: {what} payload is truncated.", e);
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            // BinaryReader reports a corrupt 7-bit string length as FormatException or IOException.
            throw new InvalidDataException($"{path}: {what} payload has a malformed string length ({e.Message}).", e);
        }
    }
}
