using EdgeSkyrmion.Cloud.Fleet.Cluster;

namespace EdgeSkyrmion.Tests.Fleet.Cluster;

/// <summary>When a rollout's tick pushes its waiting devices again: on a stall at once, while devices finish only every sixth tick.</summary>
public sealed class RepushScheduleTests
{
    [Fact]
    public void AFreshActivationRepushesAtItsFirstTickAndAtEveryTickWithoutProgress()
    {
        var s = new RepushSchedule();
        Assert.True(s.Tick());
        Assert.True(s.Tick());
        Assert.True(s.Tick());
    }

    [Fact]
    public void WhileDevicesFinishOnlyEverySixthTickRepushes()
    {
        var s = new RepushSchedule();
        var due = new List<bool>();
        for (int tick = 0; tick < 2 * RepushSchedule.MaxTicksBetween; tick++)
        {
            s.Finished();
            due.Add(s.Tick());
        }
        bool[] expected = [.. Enumerable.Range(1, 2 * RepushSchedule.MaxTicksBetween).Select(t => t % RepushSchedule.MaxTicksBetween == 0)];
        Assert.Equal(expected, due);
    }

    [Fact]
    public void AStallAfterProgressRepushesAtOnceAndRestartsTheCount()
    {
        var s = new RepushSchedule();
        s.Finished();
        Assert.False(s.Tick());
        Assert.True(s.Tick());
        for (int tick = 1; tick < RepushSchedule.MaxTicksBetween; tick++)
        {
            s.Finished();
            Assert.False(s.Tick());
        }
        s.Finished();
        Assert.True(s.Tick());
    }
}
