using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Tests.Fleet.Storage;
using EdgeSkyrmion.Cloud.Personalization;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Personalization;

public abstract class UserStoreTests : IDisposable
{
    private readonly TestFleetDatabase _database;
    private readonly FleetDatabase _db;
    private readonly UserStore _store;

    protected UserStoreTests(TestFleetDatabase database)
    {
        _database = database;
        _db = database.Db;
        _store = new UserStore(_db);
        new DeviceRegistry(_db).Register("wrist-1");
        _store.Register("alice", "wrist-1");
    }

    public void Dispose() => _database.Dispose();

    [Fact]
    public void SamplesRoundTripPerSplit()
    {
        (byte[] images, byte[] labels) = SyntheticDigits.Make(30, seed: 1);
        Assert.Equal(30, _store.AddSamples("alice", DigitSplit.Train, images, labels));
        Assert.Equal(60, _store.AddSamples("alice", DigitSplit.Train, images, labels));
        DigitSet train = _store.Samples("alice", DigitSplit.Train);
        Assert.Equal([.. labels, .. labels], train.Labels);
        Assert.Equal(images, train.Images.AsSpan(0, images.Length).ToArray());
        Assert.Equal(0, _store.Samples("alice", DigitSplit.Test).Count);
    }

    [Fact]
    public void LabelOutOfRangeIsRefusedAndNothingStored()
    {
        (byte[] images, byte[] labels) = SyntheticDigits.Make(5, seed: 2);
        labels[3] = 10;
        var e = Assert.Throws<ArgumentException>(() => _store.AddSamples("alice", DigitSplit.Train, images, labels));
        Assert.Contains("label 10 of sample 3", e.Message);
        Assert.Equal(0, _store.Samples("alice", DigitSplit.Train).Count);
    }

    [Fact]
    public void WrongImageSizeIsRefusedAndNothingStored()
    {
        var e = Assert.Throws<ArgumentException>(() => _store.AddSamples("alice", DigitSplit.Test, new byte[2 * 27 * 27], [1, 2]));
        Assert.Contains("28×28", e.Message);
        Assert.Equal(0, _store.Samples("alice", DigitSplit.Test).Count);
    }

    [Fact]
    public void UnknownUserOrDeviceIsRefused()
    {
        (byte[] images, byte[] labels) = SyntheticDigits.Make(2, seed: 3);
        Assert.Contains("unknown user bob", Assert.Throws<ArgumentException>(() => _store.AddSamples("bob", DigitSplit.Train, images, labels)).Message);
        Assert.Contains("unknown device nope", Assert.Throws<ArgumentException>(() => _store.Register("bob", "nope")).Message);
        Assert.Contains("already registered", Assert.Throws<ArgumentException>(() => _store.Register("alice", "wrist-1")).Message);
        Assert.Null(_store.Find("bob"));
        Assert.Single(_store.All());
    }
}

public sealed class UserStoreTestsOnSqlite() : UserStoreTests(TestFleetDatabase.Sqlite());

[Collection(PostgresCollection.Name)]
public sealed class UserStoreTestsOnPostgres(PostgresServer postgres) : UserStoreTests(TestFleetDatabase.Postgres(postgres));
