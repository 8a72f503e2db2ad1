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
    public static Update Verify(SignedUpdate signed, byte[] trustedPublicKeyDer)
    {
        string trustedId = KeyId(trustedPublicKeyDer);
        if (signed.KeyId != trustedId)
            throw new InvalidDataException($"update signed with key {signed.KeyId}, the device trusts key {trustedId}.");
        if (!IsSignedBy(trustedPublicKeyDer, signed.UpdateBytes.Span, signed.Signature.Span))
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

    /// <summary>Whether <paramref name="signature"/> is the holder of <paramref name="publicKeyDer"/>'s ECDSA signature of <paramref name="data"/>.</summary>
    public static bool IsSignedBy(byte[] publicKeyDer, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using ECDsa key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(publicKeyDer, out _);
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"key {KeyId(publicKeyDer)} is not an ECDSA public key in DER form ({e.Message}).", e);
        }
        return key.VerifyData(data, signature, HashAlgorithmName.SHA256);
    }
}
