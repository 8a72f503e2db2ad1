using EdgeSkyrmion.Cloud.Updates;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Fleet;

public class DeltaCodecTests
{
    [Fact]
    public void EncodedDeltaRebuildsTheTargetImageExactly()
    {
        ModelImage v1 = TestImages.Random([50, 20, 10], 1, seed: 1);
        ModelImage v2 = TestImages.Mutated(v1, 2, 0.02, seed: 2);
        v2.Layers[1].Threshold = 1.25f;
        v2.AnnTestAccuracy = 0.987;
        v2.Sigma = 3.5;
        List<LayerDelta> delta = DeltaEncoder.Encode(v1, v2);
        ModelImage rebuilt = DeltaCodec.Apply(v1, DeltaEncoder.Header(v2), delta);
        Assert.Equal(DeltaCodec.Digest(v2), DeltaCodec.Digest(rebuilt));
        int changed = delta.Sum(d => (int)d.Count);
        Assert.InRange(changed, 1, 1200 / 10);
        Assert.True(delta.Sum(d => d.IndexGaps.Length + d.PackedStates.Length) < 3 * changed);
    }

    [Fact]
    public void IndexOutsideTheLayerIsRejected()
    {
        ModelImage v1 = TestImages.Random([4, 3, 2], 1, seed: 3);
        var bad = new LayerDelta { Layer = 0, Count = 1, IndexGaps = Google.Protobuf.ByteString.CopyFrom([12]), PackedStates = Google.Protobuf.ByteString.CopyFrom([0x10]) };
        var e = Assert.Throws<InvalidDataException>(() => DeltaCodec.Apply(v1, DeltaEncoder.Header(v1), [bad]));
        Assert.Contains("outside the layer's 12 synapses", e.Message);
    }

    [Fact]
    public void TruncatedVarintIsRejected()
    {
        int offset = 0;
        Assert.Throws<InvalidDataException>(() => Varint.Read([0x80, 0x80], ref offset));
        var bytes = new List<byte>();
        Varint.Write(bytes, 300_000);
        offset = 0;
        Assert.Equal(300_000u, Varint.Read([.. bytes], ref offset));
    }

    [Fact]
    public void DeltaBetweenShapesIsRefused()
    {
        ModelImage a = TestImages.Random([4, 3, 2], 1, seed: 3);
        ModelImage b = TestImages.Random([4, 5, 2], 2, seed: 3);
        Assert.Contains("same network shape", Assert.Throws<InvalidDataException>(() => DeltaEncoder.Encode(a, b)).Message);
    }
}
