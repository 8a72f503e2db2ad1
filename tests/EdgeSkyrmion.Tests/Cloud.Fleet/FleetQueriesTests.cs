using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Tests.Fleet.Storage;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>The console's queries on each engine (a real SQLite file, a real PostgreSQL): device pages with search and filters, and the bounded telemetry history.</summary>
public abstract class FleetQueriesTests : IDisposable
{
    private readonly TestFleetDatabase _store;
    private readonly FleetDatabase _db;
    private readonly DeviceRegistry _devices;

    protected FleetQueriesTests(TestFleetDatabase store)
    {
        _store = store;
        _db = store.Db;
        _devices = new DeviceRegistry(_db);
    }

    public void Dispose() => _store.Dispose();

    [Fact]
    public void DevicePagesSearchFilterAndCountInTheDatabase()
    {
        for (int i = 0; i < 120; i++) _devices.Register($"wrist-{i:D3}");
        _devices.Register("odd_100%");
        for (int i = 0; i < 30; i++) _devices.Update($"wrist-{i:D3}", "mnist", i < 20 ? 2UL : 3UL, [1], "784-10", "mml4-300K");
        for (int i = 0; i < 5; i++) _devices.RecordTelemetry(new Telemetry { DeviceId = $"wrist-{i:D3}", FailedDevices = 3, TotalDevices = 100 });

        (IReadOnlyList<DeviceRegistry.Device> first, int total) = _devices.Page(new DeviceRegistry.Query(null, null, null, 0, 50));
        Assert.Equal(121, total);
        Assert.Equal(50, first.Count);
        Assert.Equal("odd_100%", first[0].DeviceId);
        Assert.Equal("wrist-048", first[^1].DeviceId);
        Assert.Equal("wrist-119", _devices.Page(new DeviceRegistry.Query(null, null, null, 100, 50)).Devices[^1].DeviceId);

        Assert.Equal(10, _devices.Page(new DeviceRegistry.Query(null, 3, null, 0, 50)).Total);
        Assert.Equal(5, _devices.Page(new DeviceRegistry.Query(null, 2, DeviceHealth.Degraded, 0, 50)).Total);
        Assert.Equal(15, _devices.Page(new DeviceRegistry.Query(null, 2, DeviceHealth.Healthy, 0, 50)).Total);
        Assert.Equal(91, _devices.Page(new DeviceRegistry.Query(null, null, DeviceHealth.NoModel, 0, 50)).Total);
        Assert.Equal(30, _devices.Page(new DeviceRegistry.Query("mnist", null, null, 0, 50)).Total);
        // '%' and '_' are plain characters in a search, not LIKE wildcards.
        Assert.Equal(["odd_100%"], _devices.Page(new DeviceRegistry.Query("_100%", null, null, 0, 50)).Devices.Select(d => d.DeviceId));
        Assert.Equal([2UL, 3UL], _devices.VersionsHeld());
        Assert.Throws<ArgumentException>(() => _devices.Page(new DeviceRegistry.Query(null, null, null, 0, 501)));
        Assert.Throws<ArgumentException>(() => _devices.Page(new DeviceRegistry.Query(null, null, null, -1, 50)));
    }

    [Fact]
    public void TelemetryHistoryKeepsEachDevicesNewestReportsWithTheirTemperature()
    {
        _devices.Register("wrist-a");
        _devices.Register("wrist-b");
        int reports = TelemetryHistory.KeptPerDevice + 5;
        for (int i = 0; i < reports; i++)
            _devices.RecordTelemetry(new Telemetry
            {
                DeviceId = "wrist-a", ModelVersion = 1, FailedDevices = (uint)i, TotalDevices = 100, TemperatureK = i % 2 == 0 ? 0 : 305,
                Lifetime = new EnergyReport { ProgrammingEnergyFj = i },
            });
        _devices.RecordTelemetry(new Telemetry { DeviceId = "wrist-b", TotalDevices = 100, TemperatureK = 290 });

        IReadOnlyList<TelemetryHistory.Sample> a = new TelemetryHistory(_db).ForDevice("wrist-a");
        Assert.Equal(TelemetryHistory.KeptPerDevice, a.Count);
        Assert.Equal(5, a[0].FailedDevices);
        Assert.Equal(reports - 1, a[^1].FailedDevices);
        Assert.Equal(reports - 1, a[^1].LifetimeEnergyFj);
        Assert.Null(a[^1].TemperatureK);
        Assert.Equal(305, a[^2].TemperatureK);
        Assert.Equal(290, Assert.Single(new TelemetryHistory(_db).ForDevice("wrist-b")).TemperatureK);
        Assert.Equal(reports - 1, _devices.Find("wrist-a")!.FailedDevices);
    }
}

public sealed class FleetQueriesTestsOnSqlite() : FleetQueriesTests(TestFleetDatabase.Sqlite());

[Collection(PostgresCollection.Name)]
public sealed class FleetQueriesTestsOnPostgres(PostgresServer postgres) : FleetQueriesTests(TestFleetDatabase.Postgres(postgres));
