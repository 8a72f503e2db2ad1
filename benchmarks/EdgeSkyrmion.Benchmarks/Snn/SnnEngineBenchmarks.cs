using BenchmarkDotNet.Attributes;
using EdgeSkyrmion.Cloud.Conversion;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;

namespace EdgeSkyrmion.Benchmarks.Snn;

/// <summary>
/// One MNIST image at batch 1 through the converted 784-1200-1200-10 SNN: the event-driven engine the edge runs
/// against the dense, time-stepped TorchSharp reference, same network, same T, same input spikes.
/// Needs a model image (EDGESKYRMION_BENCH_ARTIFACT, default out/l13.esmi, written by `convert`) and MNIST
/// (EDGESKYRMION_BENCH_DATA, default data/mnist), both relative to the repository root.
/// Run in process (the out-of-process toolchain's generated project lacks the libtorch load fix of build/):
/// dotnet run -c Release --project benchmarks/EdgeSkyrmion.Benchmarks -- --filter '*SnnEngine*' --job short --inProcess
/// </summary>
[MemoryDiagnoser]
public class SnnEngineBenchmarks
{
    private const int Images = 16;
    private SpikingRun _run = null!;
    private DenseReferenceSnn _dense = null!;
    private DigitSet _test = null!;
    private int _next;

    [Params(100)]
    public int Timesteps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string root = RepositoryRoot();
        string artifact = Path.Combine(root, Environment.GetEnvironmentVariable("EDGESKYRMION_BENCH_ARTIFACT") ?? "out/l13.esmi");
        string data = Path.Combine(root, Environment.GetEnvironmentVariable("EDGESKYRMION_BENCH_DATA") ?? "data/mnist");
        SpikingNetwork network = SpikingNetwork.FromImage(ModelImageFile.Read(artifact));
        _run = new SpikingRun(network);
        _dense = new DenseReferenceSnn(network);
        _test = DigitSet.Load(data, DigitSplit.Test).Take(Images);
    }

    [GlobalCleanup]
    public void Cleanup() => _dense.Dispose();

    [Benchmark(Baseline = true, Description = "dense TorchSharp SNN, 1 image")]
    public int Dense()
    {
        int i = _next++ % Images;
        return _dense.Run(_test.Image(i), Timesteps, (ulong)i).Sum();
    }

    [Benchmark(Description = "event-driven engine, 1 image")]
    public int EventDriven()
    {
        int i = _next++ % Images;
        return _run.Run(_test.Image(i), Timesteps, (ulong)i).PredictedClass;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EdgeSkyrmion.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
