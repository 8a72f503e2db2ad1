using System.Security.Cryptography;
using EdgeSkyrmion.Edge.Durability;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Edge.Updates;

/// <summary>
/// Reassembles an update's chunks on the device, durably: every chunk but the last is appended to incoming.part in the
/// state directory (fsynced per chunk) next to incoming.meta (update id, chunks received, bytes they make; replaced
/// atomically), so after a dropped connection or a restart the device asks the cloud to resume at the next chunk. The
/// meta is the record: bytes beyond it (a chunk appended by a device killed before its meta was written) are cut off
/// when that chunk comes again. The last chunk is joined in memory and never stored, so a device killed before the
/// whole update is taken asks for that chunk again rather than for one past the end, and an update sent in one chunk
/// (the cloud's chunks are 64 KiB; a 1 % delta of the paper's network is 51 KB) touches no file of the transfer. Chunks
/// must arrive in order (chunk 0 always starts a transfer afresh) and agree on the update's size and digest; anything
/// else discards the partial transfer with a clear error.
/// </summary>
public sealed class ChunkAssembler(string stateDirectory)
{
    /// <summary>Present while a transfer is partly received (fault injection reads it as "chunks arriving").</summary>
    public const string MetaFileName = "incoming.meta";

    private string PartPath => Path.Combine(stateDirectory, "incoming.part");
    private string MetaPath => Path.Combine(stateDirectory, MetaFileName);

    /// <summary>The partial transfer to resume, if any: (update id, index of the next chunk wanted).</summary>
    public (string UpdateId, uint NextChunk)? Partial => Received() is { } r ? (r.UpdateId, r.NextChunk) : null;

    /// <summary>What the meta vouches for, when the part file holds at least that many bytes.</summary>
    private (string UpdateId, uint NextChunk, long Bytes)? Received()
    {
        if (!File.Exists(MetaPath) || !File.Exists(PartPath)) return null;
        string[] fields = File.ReadAllText(MetaPath).Split('\n');
        if (fields.Length < 3 || !uint.TryParse(fields[1], out uint next) || !long.TryParse(fields[2], out long bytes)) return null;
        if (new FileInfo(PartPath).Length < bytes) return null;
        return (fields[0], next, bytes);
    }

    /// <summary>Adds a chunk; returns the complete SignedUpdate bytes after the last one, else null.</summary>
    public byte[]? Accept(UpdateChunk chunk)
    {
        if (chunk.Count == 0 || chunk.Index >= chunk.Count)
            throw Discard($"chunk {chunk.Index} of {chunk.Count} of update {chunk.UpdateId} is malformed.");
        (string UpdateId, uint NextChunk, long Bytes)? received = Received();
        bool resuming = received is { } r && r.UpdateId == chunk.UpdateId && chunk.Index == r.NextChunk && chunk.Index > 0;
        if (chunk.Index != 0 && !resuming)
            throw Discard($"out-of-order chunk: got {chunk.Index} of update {chunk.UpdateId}, expected {(received is { } e && e.UpdateId == chunk.UpdateId ? e.NextChunk : 0)}.");
        long previousBytes = resuming ? received!.Value.Bytes : 0;
        if ((ulong)previousBytes + (ulong)chunk.Data.Length > chunk.TotalBytes)
            throw Discard($"update {chunk.UpdateId}: chunks exceed the announced {chunk.TotalBytes} bytes.");
        long total = previousBytes + chunk.Data.Length;
        if (chunk.Index + 1 < chunk.Count)
        {
            if (!resuming) File.WriteAllBytes(PartPath, []);
            using (var part = new FileStream(PartPath, FileMode.Open, FileAccess.Write))
            {
                part.SetLength(previousBytes);
                part.Seek(previousBytes, SeekOrigin.Begin);
                part.Write(chunk.Data.Span);
                part.Flush(flushToDisk: true);
            }
            AtomicFile.Write(MetaPath, System.Text.Encoding.UTF8.GetBytes($"{chunk.UpdateId}\n{chunk.Index + 1}\n{total}"));
            return null;
        }

        // The last chunk is not stored: no meta would name it, so a device killed before the update is taken asks for it
        // again; written, it was a flash write and an fsync an update for nothing.
        var whole = new byte[total];
        if (previousBytes > 0)
        {
            using var part = new FileStream(PartPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            part.ReadExactly(whole, 0, (int)previousBytes);
        }
        chunk.Data.Span.CopyTo(whole.AsSpan((int)previousBytes));
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
