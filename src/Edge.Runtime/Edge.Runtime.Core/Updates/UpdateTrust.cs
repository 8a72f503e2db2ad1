using EdgeSkyrmion.Edge.Durability;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Edge.Updates;

/// <summary>
/// Which keys a device accepts updates from. A device provisioned with the cloud's root key pins only the root and
/// trusts an online signing key while the newest root-signed <see cref="Delegation"/> it has verified names that key,
/// the delegation has not expired (freeze attack), the key's cutoff has not passed and the key is not revoked; the
/// newest delegation is kept in the state directory (<see cref="DelegationFile"/>) so an older one can never be
/// replayed to it. A device provisioned before the key hierarchy pins one signing key and trusts only it.
/// </summary>
public sealed class UpdateTrust
{
    public const string DelegationFile = "delegation.bin";

    private readonly VerifyingKey? _pinnedSigningKey;
    private readonly VerifyingKey? _rootKey;
    // The held delegation's keys, imported on first use; emptied when a newer delegation is taken.
    private readonly Dictionary<string, VerifyingKey> _delegatedKeys = new(StringComparer.Ordinal);
    private readonly string? _delegationPath;
    private readonly Func<DateTimeOffset> _clock;
    private readonly Lock _gate = new();
    private SignedDelegation? _held;
    private Delegation? _heldDelegation;

    private UpdateTrust(byte[]? pinnedSigningKeyDer, byte[]? rootKeyDer, string? delegationPath, Func<DateTimeOffset>? clock)
    {
        _pinnedSigningKey = pinnedSigningKeyDer is null ? null : new VerifyingKey(pinnedSigningKeyDer);
        _rootKey = rootKeyDer is null ? null : new VerifyingKey(rootKeyDer);
        _delegationPath = delegationPath;
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>A device that pins one update-signing key (provisioned before the key hierarchy).</summary>
    public static UpdateTrust PinnedSigningKey(byte[] publicKeyDer) => new(publicKeyDer, null, null, null);

    /// <summary>A device that pins the root key; the newest verified delegation is kept in <paramref name="stateDirectory"/>.</summary>
    public static UpdateTrust Root(byte[] rootKeyDer, string stateDirectory, Func<DateTimeOffset>? clock = null)
    {
        var trust = new UpdateTrust(null, rootKeyDer, Path.Combine(stateDirectory, DelegationFile), clock);
        if (File.Exists(trust._delegationPath))
        {
            // The file was verified before it was written; checking again guards against a swapped file.
            SignedDelegation stored;
            try { stored = SignedDelegation.Parser.ParseFrom(File.ReadAllBytes(trust._delegationPath)); }
            catch (InvalidProtocolBufferException e) { throw new InvalidDataException($"{trust._delegationPath} is not a signed delegation ({e.Message}).", e); }
            trust._heldDelegation = trust.Check(stored);
            trust._held = stored;
        }
        return trust;
    }

    public bool PinsRoot => _rootKey is not null;

    /// <summary>The key id of the pinned key (root or signing key).</summary>
    public string PinnedKeyId => (_rootKey ?? _pinnedSigningKey!).KeyId;

    /// <summary>The version of the newest verified delegation (0: none).</summary>
    public ulong DelegationVersion
    {
        get { lock (_gate) return _heldDelegation?.Version ?? 0; }
    }

    /// <summary>
    /// Verifies a delegation against the pinned root and keeps it when it is newer than the one held. Returns
    /// whether it was taken; an older one is ignored (the held one decides). A forged, malformed or expired
    /// delegation, or one that contradicts the held one at the same version, is an <see cref="InvalidDataException"/>.
    /// A device that pins a signing key ignores delegations.
    /// </summary>
    public bool Accept(SignedDelegation signed)
    {
        if (_rootKey is null) return false;
        // Updates and welcomes carry the delegation the device already holds: verified when it was taken, bit for bit
        // the same bytes, signature and root verify the same way again, so the copy is ignored without a second check.
        lock (_gate)
            if (_held is { } held && held.RootKeyId == signed.RootKeyId && held.DelegationBytes.Equals(signed.DelegationBytes) && held.Signature.Equals(signed.Signature))
                return false;
        Delegation delegation = Check(signed);
        lock (_gate)
        {
            if (_heldDelegation is { } held)
            {
                if (delegation.Version < held.Version) return false;
                if (delegation.Version == held.Version)
                {
                    if (!_held!.DelegationBytes.Span.SequenceEqual(signed.DelegationBytes.Span))
                        throw new InvalidDataException($"delegation v{delegation.Version} differs from the v{held.Version} this device already holds: refused.");
                    return false;
                }
            }
            if (delegation.ExpiresUnixMs <= Now)
                throw new InvalidDataException($"delegation v{delegation.Version} expired at {Instant(delegation.ExpiresUnixMs)}: refused.");
            AtomicFile.Write(_delegationPath!, signed.ToByteArray());
            _held = signed;
            _heldDelegation = delegation;
            _delegatedKeys.Clear();
            return true;
        }
    }

    /// <summary>Verifies an update's signature against a key this device trusts now; anything else is an <see cref="InvalidDataException"/>.</summary>
    public Update Verify(SignedUpdate signed)
    {
        if (_pinnedSigningKey is not null) return UpdateSignature.Verify(signed, _pinnedSigningKey);
        if (signed.Delegation is { } carried) Accept(carried);
        return UpdateSignature.Verify(signed, TrustedKey(signed.KeyId));
    }

    /// <summary>The public key of <paramref name="keyId"/> when the held delegation vouches for it now.</summary>
    private VerifyingKey TrustedKey(string keyId)
    {
        lock (_gate)
        {
            Delegation delegation = _heldDelegation
                ?? throw new InvalidDataException($"update signed with key {keyId}, but this device holds no delegation from its root {PinnedKeyId}.");
            long now = Now;
            if (delegation.RevokedKeyIds.Contains(keyId))
                throw new InvalidDataException($"update signed with key {keyId}, which delegation v{delegation.Version} revokes.");
            if (delegation.ExpiresUnixMs <= now)
                throw new InvalidDataException($"delegation v{delegation.Version} expired at {Instant(delegation.ExpiresUnixMs)}; the cloud must renew it before updates are accepted.");
            DelegatedKey key = delegation.Keys.FirstOrDefault(k => k.KeyId == keyId)
                ?? throw new InvalidDataException($"update signed with key {keyId}, which the root {PinnedKeyId} has not delegated (delegation v{delegation.Version}).");
            if (key.NotAfterUnixMs <= now)
                throw new InvalidDataException($"update signed with key {keyId}, whose cutoff passed at {Instant(key.NotAfterUnixMs)}.");
            if (!_delegatedKeys.TryGetValue(keyId, out VerifyingKey? imported))
                _delegatedKeys[keyId] = imported = new VerifyingKey(key.PublicKeyDer.ToByteArray());
            return imported;
        }
    }

    private Delegation Check(SignedDelegation signed) => Open(signed, _rootKey!);

    /// <summary>
    /// Checks a delegation's signature by <paramref name="rootKeyDer"/>, parses it and checks it is well formed; not
    /// its freshness (an old one is ignored, not refused). Anything wrong is an <see cref="InvalidDataException"/>.
    /// </summary>
    public static Delegation Open(SignedDelegation signed, byte[] rootKeyDer)
    {
        using var root = new VerifyingKey(rootKeyDer);
        return Open(signed, root);
    }

    private static Delegation Open(SignedDelegation signed, VerifyingKey root)
    {
        if (signed.RootKeyId != root.KeyId)
            throw new InvalidDataException($"delegation signed by root {signed.RootKeyId}, the pinned root is {root.KeyId}.");
        if (!root.Verifies(signed.DelegationBytes.Span, signed.Signature.Span))
            throw new InvalidDataException("bad delegation signature: forged or tampered with.");
        Delegation delegation;
        try { delegation = Delegation.Parser.ParseFrom(signed.DelegationBytes); }
        catch (InvalidProtocolBufferException e) { throw new InvalidDataException($"signed delegation does not parse ({e.Message}).", e); }
        if (delegation.SchemaVersion != WireSchema.Current)
            throw new InvalidDataException($"delegation schema v{delegation.SchemaVersion} is not supported (this device reads v{WireSchema.Current}).");
        if (delegation.Version == 0) throw new InvalidDataException("delegation has no version.");
        foreach (DelegatedKey key in delegation.Keys)
            if (key.KeyId != UpdateSignature.KeyId(key.PublicKeyDer.Span))
                throw new InvalidDataException($"delegation v{delegation.Version} names key {key.KeyId} with another key's public key.");
        return delegation;
    }

    private long Now => _clock().ToUnixTimeMilliseconds();

    /// <summary>A delegation's instant for people; metadata may carry any 64-bit value, so one outside the calendar is shown as the number.</summary>
    public static string Instant(long unixMs) =>
        unixMs >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && unixMs <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("u", System.Globalization.CultureInfo.InvariantCulture)
            : $"unix ms {unixMs}";
}
