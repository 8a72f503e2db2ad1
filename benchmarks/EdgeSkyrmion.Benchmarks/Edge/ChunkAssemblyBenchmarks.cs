using BenchmarkDotNet.Attributes;
using EdgeSkyrmion.Cloud.Updates;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Benchmarks.Edge;

/// <summary>
/// A device taking an update's chunks (<see cref="ChunkAssembler.Accept"/>) in a state directory on tmpfs where there
/// is one, so the figure is the device's CPU rather than this machine's disk: a 1 % delta of the load test's network
/// (375 bytes, one chunk) and a personalization delta's size (200 KB, four chunks of 64 KiB).
/// </summary>
[MemoryDiagnoser]
public class ChunkAssemblyBenchmarks
{
    [Params(375, 200_000)]
    public int Bytes { get; set; }

    private string _directory = null!;
    private ChunkAssembler _assembler = null!;
    private List<UpdateChunk> _chunks = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "chunk-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _assembler = new ChunkAssembler(_directory);
        var payload = new byte[Bytes];
        new Random(1).NextBytes(payload);
        _chunks = UpdateChunks.Split("u1", payload);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark]
    public byte[]? TakeUpdate()
    {
        byte[]? whole = null;
        foreach (UpdateChunk chunk in _chunks) whole = _assembler.Accept(chunk);
        return whole;
    }
}
