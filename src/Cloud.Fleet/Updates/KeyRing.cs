using System.Security.Cryptography;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Cloud.Updates;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Cloud.Fleet.Updates;

/// <summary>
/// The server's online update-signing keys and the newest root-signed delegation that vouches for them. Before
/// `fleet keys init` the server signs with its first key (<see cref="SigningKey"/>) and devices pin that key; after,
/// it signs with the delegated key it holds whose cutoff is latest, attaches the delegation to every update, and
/// never signs with a key the delegation does not vouch for now. The root's public key is pinned at the first
/// delegation; later ones must come from the same root and have a higher version. Private keys are PEM files,
/// owner-only, beside the database; delegations are rows in it.
/// </summary>
public sealed class KeyRing
{
    public sealed record Active(ECDsa Key, string KeyId, SignedDelegation? Delegation);

    private readonly FleetDatabase _db;
    private readonly string _folder;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ECDsa> _held = [];
    private readonly string _firstKeyId;
    private byte[]? _rootDer;
    private SignedDelegation? _signed;
    private Delegation? _delegation;

    public KeyRing(FleetDatabase db, string databasePath)
    {
        _db = db;
        ECDsa first = SigningKey.LoadOrCreate(SigningKey.PathBeside(databasePath));
        _firstKeyId = Id(first);
        _held[_firstKeyId] = first;
        _folder = SigningKey.FolderBeside(databasePath);
        if (Directory.Exists(_folder))
            foreach (string pem in Directory.GetFiles(_folder, "*.pem"))
            {
                ECDsa key = EcKeyFile.Load(pem);
                _held[Id(key)] = key;
            }
        using var c = db.Open();
        using var read = FleetDatabase.Command(c, "SELECT signed, root_der FROM delegations ORDER BY version DESC LIMIT 1");
        using var row = read.ExecuteReader();
        if (row.Read())
        {
            _signed = SignedDelegation.Parser.ParseFrom((byte[])row[0]);
            _rootDer = (byte[])row[1];
            _delegation = UpdateTrust.Open(_signed, _rootDer);
        }
    }

    /// <summary>Raised after a new delegation is installed (the hub tells connected devices).</summary>
    public event Action<SignedDelegation>? Installed;

    public SignedDelegation? Delegation
    {
        get { lock (_gate) return _signed; }
    }

    public byte[]? RootKeyDer
    {
        get { lock (_gate) return _rootDer; }
    }

    public IReadOnlyList<string> HeldKeyIds
    {
        get { lock (_gate) return [.. _held.Keys.Order(StringComparer.Ordinal)]; }
    }

    /// <summary>The key to sign with now; throws when a delegation exists but vouches for no key this server holds.</summary>
    public Active Current()
    {
        lock (_gate)
        {
            if (_delegation is null) return new Active(_held[_firstKeyId], _firstKeyId, null);
            DelegatedKey? best = Usable(_delegation).MaxBy(k => k.NotAfterUnixMs);
            if (best is null)
                throw new InvalidOperationException($"delegation v{_delegation.Version} vouches for no signing key this server holds now: run `fleet keys rotate`.");
            return new Active(_held[best.KeyId], best.KeyId, _signed);
        }
    }

    /// <summary>Whether an update signed by <paramref name="keyId"/> would be accepted now by a device holding the current delegation.</summary>
    public bool Vouches(string keyId)
    {
        lock (_gate)
        {
            if (_delegation is null) return keyId == _firstKeyId;
            long now = FleetDatabase.NowMs();
            return _delegation.ExpiresUnixMs > now && !_delegation.RevokedKeyIds.Contains(keyId)
                && _delegation.Keys.Any(k => k.KeyId == keyId && k.NotAfterUnixMs > now);
        }
    }

    /// <summary>Creates a new online signing key (not used until a delegation names it); returns its public key.</summary>
    public SigningKeyInfo CreateKey()
    {
        Directory.CreateDirectory(_folder);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using ECDsa probe = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // The file is named by the key's id, which is known only once the key exists: create, then rename.
        string temp = Path.Combine(_folder, "new-" + Guid.NewGuid().ToString("N") + ".pem");
        ECDsa key = EcKeyFile.Create(temp);
        string id = Id(key);
        File.Move(temp, Path.Combine(_folder, id + ".pem"));
        lock (_gate) _held[id] = key;
        return new SigningKeyInfo { KeyId = id, PublicKeyDer = ByteString.CopyFrom(key.ExportSubjectPublicKeyInfo()) };
    }

    /// <summary>
    /// Installs a delegation signed by the root (<paramref name="rootKeyDer"/>, pinned by the first one). Refused,
    /// with nothing stored, when it is not the pinned root's, not newer than the current one, already expired, or
    /// vouches for no key this server holds.
    /// </summary>
    public Delegation Install(SignedDelegation signed, byte[] rootKeyDer)
    {
        Delegation delegation = UpdateTrust.Open(signed, rootKeyDer);
        lock (_gate)
        {
            if (_rootDer is not null && !_rootDer.AsSpan().SequenceEqual(rootKeyDer))
                throw new ArgumentException($"the fleet's root is {UpdateSignature.KeyId(_rootDer)}; a delegation from root {UpdateSignature.KeyId(rootKeyDer)} is refused.");
            if (_delegation is not null && delegation.Version <= _delegation.Version)
                throw new ArgumentException($"delegation v{delegation.Version} is not newer than the installed v{_delegation.Version}.");
            if (delegation.ExpiresUnixMs <= FleetDatabase.NowMs()) throw new ArgumentException($"delegation v{delegation.Version} has already expired.");
            if (!Usable(delegation).Any())
                throw new ArgumentException($"delegation v{delegation.Version} vouches for no signing key this server holds ({string.Join(", ", _held.Keys)}).");
            using (var c = _db.Open())
            {
                // Another server sharing the database may have installed a newer one since this one read it.
                using var tx = _db.BeginWrite(c, "delegations");
                if (FleetDatabase.Scalar<long?>(c, "SELECT MAX(version) FROM delegations") is { } stored && delegation.Version <= (ulong)stored)
                    throw new ArgumentException($"delegation v{delegation.Version} is not newer than the installed v{stored}.");
                FleetDatabase.Execute(c, "INSERT INTO delegations VALUES (@v, @s, @r, @now)",
                    ("@v", (long)delegation.Version), ("@s", signed.ToByteArray()), ("@r", rootKeyDer), ("@now", FleetDatabase.NowMs()));
                tx.Commit();
            }
            (_signed, _delegation, _rootDer) = (signed, delegation, rootKeyDer);
        }
        Installed?.Invoke(signed);
        return delegation;
    }

    private IEnumerable<DelegatedKey> Usable(Delegation d)
    {
        long now = FleetDatabase.NowMs();
        return d.ExpiresUnixMs <= now ? [] : d.Keys.Where(k => _held.ContainsKey(k.KeyId) && k.NotAfterUnixMs > now && !d.RevokedKeyIds.Contains(k.KeyId));
    }

    private static string Id(ECDsa key) => UpdateSignature.KeyId(key.ExportSubjectPublicKeyInfo());
}
