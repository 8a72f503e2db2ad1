
using EdgeSkyrmion.Edge.Data;
using System.Data.Common;

namespace EdgeSkyrmion.Cloud.Fleet.Storage;

/// <summary>
/// Users, the device each wears, their labelled samples and the outcome of each personalization, in the fleet
/// database (own tables beside the fleet's, in Storage/Schema). Every write validates first and runs in one transaction, so bad input
/// stores nothing.
/// </summary>
public sealed class UserStore
{
    public sealed record User(string UserId, string DeviceId, long CreatedMs);

    public sealed record Personalization(string UserId, string ModelId, ulong Version, double BaseAccuracy, double PersonalAccuracy,
        string EvaluatedWith, int SynapsesChanged, long SynapsesTotal, double Pulses, double EnergyFj, double FullEnergyFj, int Bytes,
        double? BudgetFj, long CreatedMs, IReadOnlyList<CurvePoint> Curve);

    /// <summary>One point of a plan's budget curve: the ranked changes up to a share of the unbudgeted energy, and the accuracy they reach (0–1).</summary>
    public sealed record CurvePoint(double EnergyFraction, double EnergyFj, int SynapsesChanged, double Accuracy);

    private readonly FleetDatabase _db;

    public UserStore(FleetDatabase db) => _db = db;

    /// <summary>The personalized model id of a user: the catalog entry their device's updates are published under.</summary>
    public static string ModelId(string userId) => "person-" + userId;

    /// <summary>Adds a user wearing <paramref name="deviceId"/>, which must already be registered in the fleet.</summary>
    public User Register(string userId, string deviceId)
    {
        CheckId(userId, "user id");
        CheckId(deviceId, "device id");
        if (new DeviceRegistry(_db).Find(deviceId) is null) throw new ArgumentException($"unknown device {deviceId}: register it with the fleet first.");
        using DbConnection c = _db.Open();
        long now = FleetDatabase.NowMs();
        if (FleetDatabase.Execute(c, "INSERT INTO users VALUES (@u, @d, @t) ON CONFLICT DO NOTHING", ("@u", userId), ("@d", deviceId), ("@t", now)) == 0)
            throw new ArgumentException($"user {userId} is already registered.");
        return new User(userId, deviceId, now);
    }

    public User? Find(string userId)
    {
        using DbConnection c = _db.Open();
        using DbCommand cmd = FleetDatabase.Command(c, "SELECT user_id, device_id, created_ms FROM users WHERE user_id = @u", ("@u", userId));
        using DbDataReader r = cmd.ExecuteReader();
        return r.Read() ? new User(r.GetString(0), r.GetString(1), r.GetInt64(2)) : null;
    }

    public User Get(string userId) => Find(userId) ?? throw new ArgumentException($"unknown user {userId}: register it first (user add).");

    public IReadOnlyList<User> All()
    {
        using DbConnection c = _db.Open();
        using DbCommand cmd = FleetDatabase.Command(c, "SELECT user_id, device_id, created_ms FROM users ORDER BY user_id");
        using DbDataReader r = cmd.ExecuteReader();
        var users = new List<User>();
        while (r.Read()) users.Add(new User(r.GetString(0), r.GetString(1), r.GetInt64(2)));
        return users;
    }

    /// <summary>Stores labelled 28×28 samples for a user's training or test split; returns how many the split now holds.</summary>
    public int AddSamples(string userId, DigitSplit split, byte[] images, byte[] labels)
    {
        Get(userId);
        if (labels.Length == 0) throw new ArgumentException("no samples to store.");
        if (images.Length != labels.Length * DigitSet.Pixels)
            throw new ArgumentException($"{images.Length} image bytes for {labels.Length} labels: each sample must be a {DigitSet.Side}×{DigitSet.Side} image ({DigitSet.Pixels} bytes).");
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] >= DigitSet.Classes) throw new ArgumentException($"label {labels[i]} of sample {i} is outside 0–{DigitSet.Classes - 1}.");
        using DbConnection c = _db.Open();
        FleetDatabase.Execute(c, "INSERT INTO user_samples VALUES (@u, @s, @n, @i, @l, @t)", ("@u", userId), ("@s", SplitName(split)),
            ("@n", labels.Length), ("@i", images), ("@l", labels), ("@t", FleetDatabase.NowMs()));
        return Samples(userId, split).Count;
    }

    /// <summary>All samples of a user's split, in upload order.</summary>
    public DigitSet Samples(string userId, DigitSplit split)
    {
        using DbConnection c = _db.Open();
        using DbCommand cmd = FleetDatabase.Command(c, "SELECT images, labels FROM user_samples WHERE user_id = @u AND split = @s ORDER BY rowid",
            ("@u", userId), ("@s", SplitName(split)));
        using DbDataReader r = cmd.ExecuteReader();
        var images = new List<byte>();
        var labels = new List<byte>();
        while (r.Read())
        {
            images.AddRange((byte[])r[0]);
            labels.AddRange((byte[])r[1]);
        }
        return new DigitSet(split, [.. images], [.. labels]);
    }

    /// <summary>Stores a plan and its budget curve in one transaction; a curve point out of range stores nothing.</summary>
    public void RecordPersonalization(Personalization p)
    {
        foreach (CurvePoint point in p.Curve)
            if (point.EnergyFraction is < 0 or > 1 || point.Accuracy is < 0 or > 1 || point.EnergyFj < 0 || point.SynapsesChanged < 0)
                throw new ArgumentException($"budget curve point {point}: energy share and accuracy must be 0–1, energy and synapses ≥ 0.");
        using DbConnection c = _db.Open();
        using DbTransaction tx = c.BeginTransaction();
        FleetDatabase.Execute(c, "INSERT INTO user_personalizations VALUES (@u, @m, @v, @ba, @pa, @e, @sc, @st, @p, @en, @fe, @b, @bu, @t)",
            ("@u", p.UserId), ("@m", p.ModelId), ("@v", (long)p.Version), ("@ba", p.BaseAccuracy), ("@pa", p.PersonalAccuracy), ("@e", p.EvaluatedWith),
            ("@sc", p.SynapsesChanged), ("@st", p.SynapsesTotal), ("@p", p.Pulses), ("@en", p.EnergyFj), ("@fe", p.FullEnergyFj), ("@b", p.Bytes),
            ("@bu", p.BudgetFj), ("@t", p.CreatedMs));
        foreach (CurvePoint point in p.Curve)
            FleetDatabase.Execute(c, "INSERT INTO personalization_curves VALUES (@u, @t, @f, @e, @s, @a)", ("@u", p.UserId), ("@t", p.CreatedMs),
                ("@f", point.EnergyFraction), ("@e", point.EnergyFj), ("@s", point.SynapsesChanged), ("@a", point.Accuracy));
        tx.Commit();
    }

    public IReadOnlyList<Personalization> Personalizations(string userId)
    {
        using DbConnection c = _db.Open();
        var curves = new Dictionary<long, List<CurvePoint>>();
        using (DbCommand points = FleetDatabase.Command(c, "SELECT created_ms, energy_fraction, energy_fj, synapses_changed, accuracy FROM personalization_curves WHERE user_id = @u ORDER BY rowid", ("@u", userId)))
        using (DbDataReader p = points.ExecuteReader())
            while (p.Read())
            {
                if (!curves.TryGetValue(p.GetInt64(0), out List<CurvePoint>? curve)) curves[p.GetInt64(0)] = curve = [];
                curve.Add(new CurvePoint(p.GetDouble(1), p.GetDouble(2), p.GetInt32(3), p.GetDouble(4)));
            }
        using DbCommand cmd = FleetDatabase.Command(c, "SELECT * FROM user_personalizations WHERE user_id = @u ORDER BY rowid", ("@u", userId));
        using DbDataReader r = cmd.ExecuteReader();
        var list = new List<Personalization>();
        while (r.Read())
            list.Add(new Personalization(r.GetString(0), r.GetString(1), (ulong)r.GetInt64(2), r.GetDouble(3), r.GetDouble(4), r.GetString(5),
                r.GetInt32(6), r.GetInt64(7), r.GetDouble(8), r.GetDouble(9), r.GetDouble(10), r.GetInt32(11), r.IsDBNull(12) ? null : r.GetDouble(12), r.GetInt64(13),
                curves.GetValueOrDefault(r.GetInt64(13)) ?? []));
        return list;
    }

    public static DigitSplit ParseSplit(string text) => text switch
    {
        "train" => DigitSplit.Train,
        "test" => DigitSplit.Test,
        _ => throw new ArgumentException($"split '{text}': use train or test."),
    };

    private static string SplitName(DigitSplit split) => split == DigitSplit.Train ? "train" : "test";

    /// <summary>Throws unless <paramref name="id"/> is a usable user or device id.</summary>
    public static void CheckId(string id, string what)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 128 || id.Any(ch => char.IsWhiteSpace(ch) || char.IsControl(ch)))
            throw new ArgumentException($"{what} '{id}': use 1–128 characters without spaces.");
    }
}
