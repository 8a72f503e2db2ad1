using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Support;

/// <summary>An unsigned full-image update of <paramref name="image"/> for one device (sign it with UpdateSigner).</summary>
public static class FullImageUpdates
{
    public static Update For(string deviceId, ModelImage image) => new()
    {
        SchemaVersion = WireSchema.Current, UpdateId = Guid.NewGuid().ToString("N"), DeviceId = deviceId, ModelId = image.ModelId, NewVersion = image.Version,
        Kind = UpdateKind.FullImage, Image = image, ResultSha256 = ByteString.CopyFrom(DeltaCodec.Digest(image)),
    };
}
