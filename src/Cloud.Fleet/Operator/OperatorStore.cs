using System.Security.Cryptography;
using EdgeSkyrmion.Cloud.Fleet.Storage;

namespace EdgeSkyrmion.Cloud.Fleet.Operator;

/// <summary>
/// Operators with their own credentials and roles. The first admin ("admin") is the token file `serve` creates
/// beside the database; admins add others, each with a random bearer token shown once. Only SHA-256 digests of
/// tokens are stored.
/// </summary>
public sealed class OperatorStore
{
    public const string FirstAdmin = "admin";

    public sealed record Operator(string Name, string Role, long CreatedMs);

    private readonly FleetDatabase _db;
    private readonly byte[] _firstAdminDigest;

    public OperatorStore(FleetDatabase db, byte[] firstAdminDigest)
    {
        (_db, _firstAdminDigest) = (db, firstAdminDigest);
    }

    /// <summary>Adds an operator; returns the bearer token, which is not kept.</summary>
    public string Add(string name, string role)
    {
        UserStore.CheckId(name, "operator name");
        OperatorRoles.Check(role);
        if (name == FirstAdmin) throw new ArgumentException($"operator {name} already exists.");
        string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        using var c = _db.Open();
        // The insert is the existence check, so two servers adding the same name at once cannot both succeed.
        if (FleetDatabase.Execute(c, "INSERT INTO operators VALUES (@n, @r, @t, @now) ON CONFLICT DO NOTHING",
                ("@n", name), ("@r", role), ("@t", OperatorToken.Digest(token)), ("@now", FleetDatabase.NowMs())) == 0)
            throw new ArgumentException($"operator {name} already exists.");
        return token;
    }

    public Operator? Find(string name)
    {
        using var c = _db.Open();
        using var cmd = FleetDatabase.Command(c, "SELECT name, role, created_ms FROM operators WHERE name = @n", ("@n", name));
        using var row = cmd.ExecuteReader();
        return row.Read() ? new Operator(row.GetString(0), row.GetString(1), row.GetInt64(2)) : null;
    }

    public IReadOnlyList<Operator> All()
    {
        using var c = _db.Open();
        using var cmd = FleetDatabase.Command(c, "SELECT name, role, created_ms FROM operators ORDER BY name");
        using var row = cmd.ExecuteReader();
        var all = new List<Operator> { new(FirstAdmin, OperatorRoles.Admin, 0) };
        while (row.Read()) all.Add(new Operator(row.GetString(0), row.GetString(1), row.GetInt64(2)));
        return all;
    }

    /// <summary>The operator a presented token belongs to, or null.</summary>
    public Operator? Authenticate(string token)
    {
        byte[] digest = OperatorToken.Digest(token);
        if (CryptographicOperations.FixedTimeEquals(digest, _firstAdminDigest)) return new Operator(FirstAdmin, OperatorRoles.Admin, 0);
        using var c = _db.Open();
        // A lookup by the digest of a 256-bit random token: equality on the digest leaks nothing usable about the token.
        using var cmd = FleetDatabase.Command(c, "SELECT name, role, created_ms FROM operators WHERE token_sha256 = @t", ("@t", digest));
        using var row = cmd.ExecuteReader();
        return row.Read() ? new Operator(row.GetString(0), row.GetString(1), row.GetInt64(2)) : null;
    }
}
