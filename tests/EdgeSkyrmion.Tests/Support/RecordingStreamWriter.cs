using System.Collections.Concurrent;
using EdgeSkyrmion.Protos.V1;
using Grpc.Core;

namespace EdgeSkyrmion.Tests.Support;

/// <summary>A device stream's writer that keeps what the server wrote on it (for the hub's own sessions in tests).</summary>
public sealed class RecordingStreamWriter : IAsyncStreamWriter<CloudMessage>
{
    public ConcurrentQueue<CloudMessage> Messages { get; } = new();

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(CloudMessage message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(CloudMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Messages.Enqueue(message);
        return Task.CompletedTask;
    }

    public UpdateChunk[] Chunks => [.. Messages.Where(m => m.KindCase == CloudMessage.KindOneofCase.Chunk).Select(m => m.Chunk)];

    /// <summary>Waits (up to 10 s) until a whole update has been written, for pushes that run in the background.</summary>
    public async Task<UpdateChunk[]> WholeUpdateAsync()
    {
        for (int i = 0; i < 200 && (Chunks is not [var c, ..] || Chunks.Length < c.Count); i++) await Task.Delay(50);
        return Chunks;
    }
}
