using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Tests.Fleet.Storage;
using EdgeSkyrmion.Cloud.Fleet.Updates;
using EdgeSkyrmion.Cloud.Updates;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Snn;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>The cloud prices an update at the temperature the device last reported (kept in its row, on a real SQLite file and a real PostgreSQL).</summary>
public abstract class TemperaturePricingTests : IDisposable
{
    private readonly TestFleetDatabase _store;
    private readonly FleetDatabase _db;
    private readonly DeviceRegistry _devices;

    protected TemperaturePricingTests(TestFleetDatabase store)
    {
        _store = store;
        _db = store.Db;
        _devices = new DeviceRegistry(_db);
    }

    public void Dispose() => _store.Dispose();

    private static ModelImage Image()
    {
        ModelImage image = SmallNets.Image(hidden: 16, seed: 4);
        image.PresetName = "mml4-300K";
        image.StateMeansG0.Clear();
        image.StateMeansG0.AddRange(Presets.Get("mml4-300K").StateMeansG0);
        return image;
    }

    [Fact]
    public void ADeviceReporting310KIsPlannedWithThe310KTable()
    {
        var builder = new UpdateBuilder(new ModelCatalog(_db), new KeyRing(_db, _store.DatabasePath));
        ModelImage target = Image();
        foreach (string id in new[] { "warm", "silent", "hot" }) _devices.Register(id);
        _devices.RecordTelemetry(new Telemetry { DeviceId = "warm", TemperatureK = 300, TotalDevices = 1 });
        _devices.RecordTelemetry(new Telemetry { DeviceId = "warm", TemperatureK = 310, TotalDevices = 1 });
        _devices.RecordTelemetry(new Telemetry { DeviceId = "warm", TotalDevices = 1 });
        _devices.RecordTelemetry(new Telemetry { DeviceId = "hot", TemperatureK = 330, TotalDevices = 1 });

        // A report without a reading keeps the last one.
        Assert.Equal(310, _devices.Find("warm")!.TemperatureK);
        Assert.Null(_devices.Find("silent")!.TemperatureK);
        double At(string preset) => UpdateCost.FullCost(target, Presets.Get(preset)).Cost.EnergyJ;
        Assert.NotEqual(At("mml4-300K"), At("mml4-310K"));

        Assert.Equal(At("mml4-310K"), builder.Build(_devices.Find("warm")!, target).Cost.EnergyJ);
        Assert.Equal(At("mml4-300K"), builder.Build(_devices.Find("silent")!, target).Cost.EnergyJ);
        // Outside the characterized range the device refuses to program; its estimate stays at the preset's table.
        Assert.Equal(At("mml4-300K"), builder.Build(_devices.Find("hot")!, target).Cost.EnergyJ);
    }

    [Fact]
    public void APublishedImagesDigestIsKeptFromItsReadAndAChangedCopyIsHashedAfresh()
    {
        var catalog = new ModelCatalog(_db);
        ModelImage published = Image();
        published.ModelId = "m";
        published.Version = 1;
        catalog.Publish(published);
        ModelImage read = catalog.Get("m", 1);
        byte[] digest = catalog.Digest(read);
        Assert.Equal(EdgeSkyrmion.Edge.Updates.DeltaCodec.Digest(published), digest);
        Assert.Same(digest, catalog.Digest(catalog.Get("m", 1)));
        ModelImage changed = read.Clone();
        changed.Layers[0].Threshold *= 2;
        Assert.Equal(EdgeSkyrmion.Edge.Updates.DeltaCodec.Digest(changed), catalog.Digest(changed));
        Assert.NotEqual(digest, catalog.Digest(changed));
    }

    [Fact]
    public void ThePlannersTableIsTheNearestCharacterizedOneAndOutsideTheRangeIsRefused()
    {
        Assert.Equal("mml4-310K", UpdateCost.TableAt("mml4-300K", 310).Name);
        Assert.Equal("mml4-310K", UpdateCost.TableAt("mml4-300K", 308.2).Name);
        Assert.Equal("mml4-300K", UpdateCost.TableAt("mml4-300K", null).Name);
        Assert.Contains("outside the characterized range", Assert.Throws<ArgumentException>(() => UpdateCost.TableAt("mml4-300K", 320)).Message);
    }
}

public sealed class TemperaturePricingTestsOnSqlite() : TemperaturePricingTests(TestFleetDatabase.Sqlite());

[Collection(PostgresCollection.Name)]
public sealed class TemperaturePricingTestsOnPostgres(PostgresServer postgres) : TemperaturePricingTests(TestFleetDatabase.Postgres(postgres));
