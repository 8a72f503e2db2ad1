using System.Security.Cryptography;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Cloud.Updates;

/// <summary>Splits a serialized SignedUpdate into ordered chunks for sending (the device reassembles them: ChunkAssembler) that carry the whole's size and SHA-256.</summary>
public static class UpdateChunks
{
    public const int DefaultChunkBytes = 64 * 1024;

    public static List<UpdateChunk> Split(string updateId, byte[] signedUpdate, int chunkBytes = DefaultChunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1);
        int count = Math.Max(1, (signedUpdate.Length + chunkBytes - 1) / chunkBytes);
        ByteString sha = ByteString.CopyFrom(SHA256.HashData(signedUpdate));
        var chunks = new List<UpdateChunk>(count);
        for (int i = 0; i < count; i++)
        {
            int start = i * chunkBytes;
            chunks.Add(new UpdateChunk
            {
                UpdateId = updateId, Index = (uint)i, Count = (uint)count, TotalBytes = (ulong)signedUpdate.Length, TotalSha256 = sha,
                Data = ByteString.CopyFrom(signedUpdate, start, Math.Min(chunkBytes, signedUpdate.Length - start)),
            });
        }
        return chunks;
    }
}
