using EdgeSkyrmion.Harness.Reliability.Console;
using EdgeSkyrmion.Tests.Support;
using Xunit.Abstractions;

namespace EdgeSkyrmion.Tests.Reliability;

/// <summary>A small run of bench-console: a seeded database, the real server, every timed page answering with the matches the seed implies.</summary>
[Collection(RealProcessCollection.Name)]
public class ConsoleBenchTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TheSeededFleetPagesAnswerWithTheMatchesTheSeedImplies()
    {
        string root = Path.Combine(Path.GetTempPath(), "console-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            ConsoleBench.Report r = await ConsoleBench.RunAsync(root, 500, 2, output.WriteLine, default);
            Assert.Equal(500, r.Devices);
            Assert.Equal(["first page", "middle page", "last page", "search one device", "filter version + health"], r.Pages.Select(p => p.Page));
            Assert.Equal([500, 500, 500, 1], r.Pages.Take(4).Select(p => p.Matches));
            // Version 2 is held by i % 3 == 1 among the 400 holders (i % 5 != 4); degraded are i % 10 == 0: i ≡ 10 (mod 30).
            Assert.Equal(Enumerable.Range(0, 500).Count(i => i % 5 != 4 && i % 3 == 1 && i % 10 == 0), r.Pages[4].Matches);
            Assert.All(r.Pages, p => Assert.True(p.MedianMs > 0 && p.P95Ms >= p.MedianMs && p.MaxMs >= p.P95Ms, $"{p}"));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }
}
