using System.Security.Cryptography;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Edge.Updates;

/// <summary>
/// Reassembles an update's chunks on the device, durably: received bytes are appended to incoming.part in the
/// state directory (fsynced per chunk) next to incoming.meta (update id, chunks received), so after a dropped
/// connection or a restart the device asks the cloud to resume at the next chunk. Chunks must arrive in order
/// and agree on the update's size and digest; anything else discards the partial transfer with a clear error.
/// </summary>
public sealed class ChunkAssembler(string stateDirectory)
{
    /// <summary>Present while a transfer is partly received (fault injection reads it as "chunks arriving").</summary>
    public const string MetaFileName = "incoming.meta";

    private string PartPath => Path.Combine(stateDirectory, "incoming.part");
    private string MetaPath => Path.Combine(stateDirectory, MetaFileName);

    /// <summary>The partial transfer to resume, if any: (update id, index of the next chunk wanted).</summary>
    public (string UpdateId, uint NextChunk)? Partial
    {
        get
        {
            if (!File.Exists(MetaPath) || !File.Exists(PartPath)) return null;
            string[] fields = File.ReadAllText(MetaPath).Split('\n');
            if (fields.Length < 3 || !uint.TryParse(fields[1], out uint next) || !long.TryParse(fields[2], out long bytes)) return null;
            if (new FileInfo(PartPath).Length < bytes) return null;
            return (fields[0], next);
        }
    }

    /// <summary>Adds a chunk; returns the complete SignedUpdate bytes after the last one, else null.</summary>
    public byte[]? Accept(UpdateChunk chunk)
    {
        if (chunk.Count == 0 || chunk.Index >= chunk.Count)
            throw Discard($"chunk {chunk.Index} of {chunk.Count} of update {chunk.UpdateId} is malformed.");
        (string UpdateId, uint NextChunk)? partial = Partial;
        uint expected = partial is { } p && p.UpdateId == chunk.UpdateId ? p.NextChunk : 0;
        if (chunk.Index != expected)
            throw Discard($"out-of-order chunk: got {chunk.Index} of update {chunk.UpdateId}, expected {expected}.");
        long previousBytes = 0;
        if (expected == 0) File.WriteAllBytes(PartPath, []);
        else previousBytes = new FileInfo(PartPath).Length;
        if ((ulong)previousBytes + (ulong)chunk.Data.Length > chunk.TotalBytes)
            throw Discard($"update {chunk.UpdateId}: chunks exceed the announced {chunk.TotalBytes} bytes.");
        using (var part = new FileStream(PartPath, FileMode.Open, FileAccess.Write))
        {
            part.SetLength(previousBytes);
            part.Seek(previousBytes, SeekOrigin.Begin);
            part.Write(chunk.Data.Span);
            part.Flush(flushToDisk: true);
        }
        long total = previousBytes + chunk.Data.Length;
        File.WriteAllText(MetaPath, $"{chunk.UpdateId}\n{chunk.Index + 1}\n{total}");
        if (chunk.Index + 1 < chunk.Count) return null;

        byte[] whole = File.ReadAllBytes(PartPath)[..(int)total];
        Clear();
        if ((ulong)whole.Length != chunk.TotalBytes || !SHA256.HashData(whole).AsSpan().SequenceEqual(chunk.TotalSha256.Span))
            throw new InvalidDataException($"update {chunk.UpdateId}: reassembled {whole.Length} bytes do not match the announced size and SHA-256 (truncated or corrupted chunk).");
        return whole;
    }

    public void Clear()
    {
        File.Delete(PartPath);
        File.Delete(MetaPath);
    }

    private InvalidDataException Discard(string message)
    {
        Clear();
        return new InvalidDataException(message);
    }
}
