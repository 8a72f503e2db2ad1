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

    [Fact]
    public void ADynamicRolloutTakesInADeviceRegisteredAfterItsPlanReadTheFleet()
    {
        var registry = new DeviceRegistry(store.Db);
        var rollouts = new RolloutStore(store.Db);
        foreach (string d in new[] { "wrist-0", "wrist-1" }) registry.Register(d);
        RolloutPlan plan = RolloutPlan.Create(["wrist-0", "wrist-1"], [new RolloutPlan.GroupSpec(50, []), new RolloutPlan.GroupSpec(100, [])], 95, 5, dynamic: true);
        // Registered between the plan's read of the fleet and the rollout's creation: no rollout to join yet.
        registry.Register("wrist-2", c => RolloutStore.IncludeNewDevice(c, "wrist-2"));

        string id = rollouts.Create("m", 1, plan);

        Assert.Equal([("wrist-0", 1), ("wrist-1", 2), ("wrist-2", 2)], rollouts.Get(id).Devices.Select(d => (d.DeviceId, d.Group)));
        // A rollout to a fixed list takes in no one.
        string listed = rollouts.Create("m", 1, RolloutPlan.Create(["wrist-0"], [], null, null, dynamic: false));
        Assert.Equal(["wrist-0"], rollouts.Get(listed).Devices.Select(d => d.DeviceId));
    }

    [Fact]
    public void ADeviceIsRegisteredTogetherWithTheDynamicRolloutsItJoinsOrNotAtAll()
    {
        var registry = new DeviceRegistry(store.Db);
        var rollouts = new RolloutStore(store.Db);
        registry.Register("wrist-0");
        string id = rollouts.Create("m", 1, RolloutPlan.Create(["wrist-0"], [new RolloutPlan.GroupSpec(100, [])], 95, 5, dynamic: true));

        // The database gone between the registration and the join: neither is stored, and registering again works.
        Assert.Throws<InvalidOperationException>(() => registry.Register("wrist-1", c =>
        {
            RolloutStore.IncludeNewDevice(c, "wrist-1");
            throw new InvalidOperationException("connection lost");
        }));
        Assert.Null(registry.Find("wrist-1"));
        Assert.DoesNotContain(rollouts.Get(id).Devices, d => d.DeviceId == "wrist-1");

        registry.Register("wrist-1", c => RolloutStore.IncludeNewDevice(c, "wrist-1"));
        Assert.NotNull(registry.Find("wrist-1"));
        Assert.Contains(rollouts.Get(id).Devices, d => d.DeviceId == "wrist-1" && d.Outcome == UpdateOutcome.Pending);
    }
}

public sealed class RolloutStoreTestsOnSqlite() : RolloutStoreTests(TestFleetDatabase.Sqlite());

[Collection(PostgresCollection.Name)]
public sealed class RolloutStoreTestsOnPostgres(PostgresServer postgres) : RolloutStoreTests(TestFleetDatabase.Postgres(postgres));
