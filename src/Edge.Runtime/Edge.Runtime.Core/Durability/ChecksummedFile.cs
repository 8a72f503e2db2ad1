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

    public static byte[] Seal(ReadOnlySpan<byte> magic, uint version, ReadOnlySpan<byte> payload)
    {
        var buffer = new byte[8 + payload.Length + DigestLength];
        magic.CopyTo(buffer);
        BitConverter.TryWriteBytes(buffer.AsSpan(4), version);
        payload.CopyTo(buffer.AsSpan(8));
        SHA256.HashData(buffer.AsSpan(0, 8 + payload.Length), buffer.AsSpan(8 + payload.Length));
        return buffer;
    }

    /// <summary>Checks magic, version and digest; returns the payload.</summary>
    public static ReadOnlyMemory<byte> Open(string path, ReadOnlySpan<byte> magic, uint supportedVersion, string what)
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
        return bytes.AsMemory(8, bytes.Length - 8 - DigestLength);
    }

    /// <summary>A read-only stream over a payload without copying it (state files hold megabytes of device states).</summary>
    public static MemoryStream Stream(ReadOnlyMemory<byte> payload) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(payload, out ArraySegment<byte> segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(payload.ToArray(), writable: false);
}
