using EdgeSkyrmion.Cloud.Fleet.Rollouts;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Tests.Fleet.Storage;

/// <summary>A rollout's entries as stored, on a real SQLite file and a real PostgreSQL.</summary>
public abstract class RolloutStoreTests(TestFleetDatabase store) : IDisposable
{
    public void Dispose() => store.Dispose();

    [Fact]
    public void ARolloutLargerThanOneInsertStoresEveryDeviceInItsGroup()
    {
        string[] devices = [.. Enumerable.Range(0, 1201).Select(i => $"wrist-{i:D4}")];
        RolloutPlan plan = RolloutPlan.Create(devices, [new RolloutPlan.GroupSpec(1, []), new RolloutPlan.GroupSpec(10, []), new RolloutPlan.GroupSpec(100, [])], 95, 5, dynamic: false);
        var rollouts = new RolloutStore(store.Db);
        string id = rollouts.Create("m", 1, plan);

        RolloutStore.Rollout stored = rollouts.Get(id);
        Assert.Equal(devices.Length, stored.Devices.Count);
        Assert.All(stored.Devices, d => Assert.Equal(UpdateOutcome.Pending, d.Outcome));
        for (int g = 0; g < plan.Groups.Count; g++)
            Assert.Equal(plan.Groups[g].Order(StringComparer.Ordinal), stored.Devices.Where(d => d.Group == g + 1).Select(d => d.DeviceId).Order(StringComparer.Ordinal));
    }
}

public sealed class RolloutStoreTestsOnSqlite() : RolloutStoreTests(TestFleetDatabase.Sqlite());

[Collection(PostgresCollection.Name)]
public sealed class RolloutStoreTestsOnPostgres(PostgresServer postgres) : RolloutStoreTests(TestFleetDatabase.Postgres(postgres));
