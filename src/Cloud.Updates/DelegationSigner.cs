using System.Security.Cryptography;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Cloud.Updates;

/// <summary>
/// The root key's side of the key hierarchy (run where the offline root key is, e.g. the operator's CLI): the next
/// delegation for `fleet keys init|rotate|revoke`, signed in the form <see cref="UpdateTrust"/> checks on the device.
/// Every delegation is version + 1 of the one before and carries its revocations forward.
/// </summary>
public static class DelegationSigner
{
    public static SignedDelegation Sign(Delegation delegation, ECDsa rootKey)
    {
        byte[] bytes = delegation.ToByteArray();
        return new SignedDelegation
        {
            DelegationBytes = ByteString.CopyFrom(bytes),
            Signature = ByteString.CopyFrom(rootKey.SignData(bytes, HashAlgorithmName.SHA256)),
            RootKeyId = UpdateSignature.KeyId(rootKey.ExportSubjectPublicKeyInfo()),
        };
    }

    /// <summary>The first delegation: the server's current signing key, valid for <paramref name="validFor"/>.</summary>
    public static Delegation Initial(byte[] signingKeyDer, TimeSpan validFor, DateTimeOffset now)
    {
        long expires = (now + Positive(validFor, "validity")).ToUnixTimeMilliseconds();
        return new Delegation
        {
            SchemaVersion = WireSchema.Current, Version = 1, CreatedUnixMs = now.ToUnixTimeMilliseconds(), ExpiresUnixMs = expires,
            Keys = { Key(signingKeyDer, expires) },
        };
    }

    /// <summary>
    /// Delegates <paramref name="newKeyDer"/> for <paramref name="validFor"/>; every other key still delegated keeps
    /// working until the announced <paramref name="cutoff"/> from now (or its own earlier end), keys already past
    /// their end are dropped.
    /// </summary>
    public static Delegation Rotate(Delegation current, byte[] newKeyDer, TimeSpan cutoff, TimeSpan validFor, DateTimeOffset now)
    {
        long nowMs = now.ToUnixTimeMilliseconds();
        long expires = (now + Positive(validFor, "validity")).ToUnixTimeMilliseconds();
        if (cutoff < TimeSpan.Zero) throw new ArgumentException($"the cutoff must not be negative, got {cutoff}.");
        long cutoffMs = (now + cutoff).ToUnixTimeMilliseconds();
        string newId = UpdateSignature.KeyId(newKeyDer);
        if (current.RevokedKeyIds.Contains(newId)) throw new ArgumentException($"key {newId} is revoked and can never be delegated again.");
        Delegation next = Successor(current, nowMs, expires);
        foreach (DelegatedKey k in current.Keys)
            if (k.KeyId != newId && k.NotAfterUnixMs > nowMs)
                next.Keys.Add(new DelegatedKey(k) { NotAfterUnixMs = Math.Min(k.NotAfterUnixMs, cutoffMs) });
        next.Keys.Add(Key(newKeyDer, expires));
        return next;
    }

    /// <summary>Withdraws <paramref name="keyId"/> for good; refused when it would leave no key to sign with.</summary>
    public static Delegation Revoke(Delegation current, string keyId, DateTimeOffset now)
    {
        if (current.RevokedKeyIds.Contains(keyId)) throw new ArgumentException($"key {keyId} is already revoked (delegation v{current.Version}).");
        if (current.Keys.All(k => k.KeyId != keyId))
            throw new ArgumentException($"key {keyId} is not delegated (delegation v{current.Version} names {string.Join(", ", current.Keys.Select(k => k.KeyId))}).");
        long nowMs = now.ToUnixTimeMilliseconds();
        Delegation next = Successor(current, nowMs, current.ExpiresUnixMs);
        next.Keys.Add(current.Keys.Where(k => k.KeyId != keyId && k.NotAfterUnixMs > nowMs));
        if (next.Keys.Count == 0) throw new ArgumentException($"revoking {keyId} would leave no signing key: run `fleet keys rotate` first.");
        next.RevokedKeyIds.Add(keyId);
        return next;
    }

    private static Delegation Successor(Delegation current, long nowMs, long expires) => new()
    {
        SchemaVersion = WireSchema.Current, Version = current.Version + 1, CreatedUnixMs = nowMs, ExpiresUnixMs = expires,
        RevokedKeyIds = { current.RevokedKeyIds },
    };

    private static DelegatedKey Key(byte[] der, long notAfter) => new()
    {
        KeyId = UpdateSignature.KeyId(der), PublicKeyDer = ByteString.CopyFrom(der), NotAfterUnixMs = notAfter,
    };

    private static TimeSpan Positive(TimeSpan span, string what) =>
        span > TimeSpan.Zero ? span : throw new ArgumentException($"the {what} must be positive, got {span}.");
}
