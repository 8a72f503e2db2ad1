using EdgeSkyrmion.Cloud.Fleet.Cluster;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace EdgeSkyrmion.Tests.Fleet.Cluster;

/// <summary>The embedded node's Orleans storage and reminders in its SQLite fleet file.</summary>
public sealed class EmbeddedClusterStorageTests
{
    private static FleetDatabase NewDatabase() => FleetDatabase.OpenSqlite(Path.Combine(Path.GetTempPath(), $"grains-{Guid.NewGuid():N}", "fleet.db"));

    private static readonly GrainId Rollout = GrainId.Create("rollout", "r-1");

    [Fact]
    public async Task GrainStateRoundTripsAndAStaleETagIsRefused()
    {
        FleetDatabase db = NewDatabase();
        var storage = new SqliteGrainStorage(db);
        var first = new GrainState<RolloutGrainState>();
        await storage.ReadStateAsync("rollout", Rollout, first);
        Assert.False(first.RecordExists);
        first.State!.Ticks = 3;
        first.State.StartedUnixMs = 1234;
        await storage.WriteStateAsync("rollout", Rollout, first);

        var reread = new GrainState<RolloutGrainState>();
        await new SqliteGrainStorage(db).ReadStateAsync("rollout", Rollout, reread);
        Assert.True(reread.RecordExists);
        Assert.Equal(3, reread.State!.Ticks);
        Assert.Equal(1234, reread.State.StartedUnixMs);

        reread.State.Ticks = 4;
        await storage.WriteStateAsync("rollout", Rollout, reread);
        first.State.Ticks = 5;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("rollout", Rollout, first));
        var last = new GrainState<RolloutGrainState>();
        await storage.ReadStateAsync("rollout", Rollout, last);
        Assert.Equal(4, last.State!.Ticks);
    }

    [Fact]
    public async Task RemindersAreReadByTheirGrainsRingRangeIncludingAWrappedOne()
    {
        var table = new SqliteReminderTable(NewDatabase());
        GrainId[] grains = [.. Enumerable.Range(0, 40).Select(i => GrainId.Create("rollout", $"r-{i}"))];
        foreach (GrainId g in grains)
            await table.UpsertRow(new ReminderEntry { GrainId = g, ReminderName = "tick", StartAt = DateTime.UtcNow, Period = TimeSpan.FromSeconds(10) });
        uint[] hashes = [.. grains.Select(g => g.GetUniformHashCode()).Order()];
        uint split = hashes[19];
        int low = (await table.ReadRows(0, split)).Reminders.Count;
        int high = (await table.ReadRows(split, 0)).Reminders.Count;
        Assert.Equal(hashes.Count(h => h > 0 && h <= split), low);
        Assert.Equal(hashes.Count(h => h > split || h == 0), high);
        Assert.Equal(grains.Length, low + high);
        Assert.Equal(grains.Length, (await table.ReadRows(split, split)).Reminders.Count);
    }

    [Fact]
    public async Task AReminderIsRemovedOnlyWithItsCurrentETag()
    {
        var table = new SqliteReminderTable(NewDatabase());
        GrainId g = GrainId.Create("rollout", "r-1");
        var entry = new ReminderEntry { GrainId = g, ReminderName = "tick", StartAt = DateTime.UtcNow, Period = TimeSpan.FromSeconds(10) };
        string first = (await table.UpsertRow(entry))!;
        string second = (await table.UpsertRow(entry))!;
        Assert.NotEqual(first, second);
        Assert.False(await table.RemoveRow(g, "tick", first));
        Assert.NotNull(await table.ReadRow(g, "tick"));
        Assert.True(await table.RemoveRow(g, "tick", second));
        Assert.Null(await table.ReadRow(g, "tick"));
    }
}
