using System.Diagnostics;
using EdgeSkyrmion.Harness.Reliability.Load;

namespace EdgeSkyrmion.Tests.Reliability;

/// <summary>
/// The load test's CPU accounting on real processes: a server's CPU is its own, its live children's (PostgreSQL's
/// backends) and its exited children's, which the kernel adds to the parent's once it has reaped them.
/// </summary>
public class CpuClockTests
{
    [Theory]
    // A child busy until the parent is killed: counted while it runs.
    [InlineData("bash -c 'while :; do :; done' & sleep 30")]
    // A child busy for 1.5 s, then gone a second before the reading: only the parent's reaped-children time holds it.
    [InlineData("timeout 1.5 bash -c 'while :; do :; done'; sleep 30")]
    public async Task AServersCpuTimeCountsItsLiveAndItsExitedChildren(string script)
    {
        Process? started = Process.Start(new ProcessStartInfo("bash", ["-c", script]));
        using Process parent = started ?? throw new InvalidOperationException("bash did not start");
        try
        {
            await Task.Delay(2500);
            CpuClock.Reading r = CpuClock.Read([], [], parent.Id);
            // Either child ran ≥ 1.5 s (a share of two cores however busy); the parent alone (bash, then sleep) uses next to none.
            Assert.True(r.Database > 0.2, $"{r.Database:F2} s of CPU counted for the server");
            Assert.Equal((0.0, 0.0), (r.Nodes, r.Loadgens));
        }
        finally
        {
            parent.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void CpuPerUpdateIsEachPartsDifferenceOverTheUpdatesAndTheirSum()
    {
        Dictionary<string, double> ms = CpuClock.PerUpdateMs(new CpuClock.Reading(1.0, 2.0, 3.0), new CpuClock.Reading(3.0, 3.0, 7.0), 1000);
        Assert.Equal([("nodes", 2.0), ("loadgens", 1.0), ("database", 4.0), ("total", 7.0)], ms.Select(p => (p.Key, Math.Round(p.Value, 9))));
        Assert.False(CpuClock.PerUpdateMs(new CpuClock.Reading(1, 1, null), new CpuClock.Reading(2, 2, null), 10).ContainsKey("database"));
    }
}
