using System.Security.Cryptography;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Edge.Updates;

/// <summary>
/// ECDSA P-256 over SHA-256 of the serialized Update (signature in IEEE P1363 r‖s form). The cloud signs with its
/// private key (Cloud.Updates' UpdateSigner); each device verifies against the public key <see cref="UpdateTrust"/>
/// vouches for (SubjectPublicKeyInfo DER). The key id is the first 8 bytes of SHA-256 of that DER, hex.
/// </summary>
public static class UpdateSignature
{
    public static string KeyId(ReadOnlySpan<byte> publicKeyDer) => Convert.ToHexStringLower(SHA256.HashData(publicKeyDer)[..8]);

    /// <summary>Verifies and parses; a forged, tampered or foreign-key update is an <see cref="InvalidDataException"/>.</summary>
    public static Update Verify(SignedUpdate signed, VerifyingKey trusted)
    {
        if (signed.KeyId != trusted.KeyId)
            throw new InvalidDataException($"update signed with key {signed.KeyId}, the device trusts key {trusted.KeyId}.");
        if (!trusted.Verifies(signed.UpdateBytes.Span, signed.Signature.Span))
            throw new InvalidDataException("bad signature: the update was forged or tampered with.");
        try
        {
            return Update.Parser.ParseFrom(signed.UpdateBytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"signed update does not parse ({e.Message}).", e);
        }
    }

    /// <summary><see cref="Verify(SignedUpdate, VerifyingKey)"/> against a key given as DER, imported for this one check.</summary>
    public static Update Verify(SignedUpdate signed, byte[] trustedPublicKeyDer)
    {
        using var trusted = new VerifyingKey(trustedPublicKeyDer);
        return Verify(signed, trusted);
    }
}
