using BenchmarkDotNet.Running;

namespace EdgeSkyrmion.Benchmarks;

internal static class BenchmarkEntry
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
}
