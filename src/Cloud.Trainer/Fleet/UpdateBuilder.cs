using System.Collections.Concurrent;
using System.Security.Cryptography;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Cloud.Fleet;

/// <summary>
/// Builds the signed update that takes one device from what it holds to a target image: a sparse delta when the
/// device holds a published image of the same shape (verified by its SHA-256), a full image otherwise. The
/// pulses and energy are estimated from the device preset's compact model before anything is sent.
/// </summary>
public sealed class UpdateBuilder(ModelCatalog catalog, ECDsa signingKey)
{
    public sealed record Built(string UpdateId, SignedUpdate Signed, byte[] Bytes, UpdateKind Kind, ulong BaseVersion,
        int SynapsesChanged, ProgrammingCost.Estimate Cost);

    private readonly ConcurrentDictionary<(string, ulong, string, ulong), (List<LayerDelta> Deltas, int Changed, ProgrammingCost.Estimate Cost)> _deltas = new();

    public Built Build(DeviceRegistry.Device device, ModelImage target, bool fullImage = false)
    {
        byte[] targetSha = DeltaCodec.Digest(target);
        var update = new Update
        {
            SchemaVersion = 1, UpdateId = Guid.NewGuid().ToString("N"), DeviceId = device.DeviceId, ModelId = target.ModelId,
            NewVersion = target.Version, ResultSha256 = ByteString.CopyFrom(targetSha), CreatedUnixMs = FleetDatabase.NowMs(),
        };
        ModelImage? held = device.ModelVersion == 0 ? null : catalog.Find(device.ModelId, device.ModelVersion);
        bool heldVerified = held is not null && DeltaCodec.Digest(held).AsSpan().SequenceEqual(device.ImageSha256);
        int changed;
        ProgrammingCost.Estimate cost;
        if (!fullImage && heldVerified && ModelCatalog.Shape(held!) == ModelCatalog.Shape(target) && held!.PresetName == target.PresetName)
        {
            var delta = _deltas.GetOrAdd((held.ModelId, held.Version, target.ModelId, target.Version), _ => Diff(held, target));
            update.Kind = UpdateKind.Delta;
            update.BaseVersion = device.ModelVersion;
            update.Layers.Add(delta.Deltas);
            update.Header = DeltaCodec.Header(target);
            (changed, cost) = (delta.Changed, delta.Cost);
        }
        else
        {
            update.Kind = UpdateKind.FullImage;
            update.BaseVersion = device.ModelVersion;
            update.Image = target;
            (changed, cost) = FullCost(target);
        }
        SignedUpdate signed = UpdateSignature.Sign(update, signingKey);
        return new Built(update.UpdateId, signed, signed.ToByteArray(), update.Kind, update.BaseVersion, changed, cost);
    }

    /// <summary>Delta and its cost: every device whose target changes pays its expected write-verify cost.</summary>
    public static (List<LayerDelta> Deltas, int Changed, ProgrammingCost.Estimate Cost) Diff(ModelImage from, ModelImage to)
    {
        StateTable table = Presets.Get(to.PresetName);
        List<LayerDelta> deltas = DeltaCodec.Encode(from, to);
        byte[] a = ImageTargets.From(from, table).Targets;
        byte[] b = ImageTargets.From(to, table).Targets;
        var cost = default(ProgrammingCost.Estimate);
        var options = new ProgrammingOptions();
        for (int d = 0; d < a.Length; d++)
            if (a[d] != b[d]) cost += ProgrammingCost.Move(table, a[d], b[d], options.ReadsPerVerify);
        return (deltas, deltas.Sum(l => (int)l.Count), cost);
    }

    /// <summary>Cost of programming a full image onto devices assumed to start in the background state.</summary>
    public static (int Changed, ProgrammingCost.Estimate Cost) FullCost(ModelImage image)
    {
        StateTable table = Presets.Get(image.PresetName);
        byte[] targets = ImageTargets.From(image, table).Targets;
        var cost = default(ProgrammingCost.Estimate);
        var options = new ProgrammingOptions();
        foreach (byte t in targets) cost += ProgrammingCost.Move(table, 0, t, options.ReadsPerVerify);
        return (targets.Length / 2, cost);
    }
}
