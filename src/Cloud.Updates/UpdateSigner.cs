using System.Security.Cryptography;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Cloud.Updates;

/// <summary>Signs an Update with the cloud's private key in the form <see cref="UpdateSignature.Verify"/> checks on the device.</summary>
public static class UpdateSigner
{
    public static SignedUpdate Sign(Update update, ECDsa privateKey)
    {
        byte[] bytes = update.ToByteArray();
        return new SignedUpdate
        {
            UpdateBytes = ByteString.CopyFrom(bytes),
            Signature = ByteString.CopyFrom(privateKey.SignData(bytes, HashAlgorithmName.SHA256)),
            KeyId = UpdateSignature.KeyId(privateKey.ExportSubjectPublicKeyInfo()),
        };
    }
}
