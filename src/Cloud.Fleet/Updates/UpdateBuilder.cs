using EdgeSkyrmion.Cloud.Updates;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using System.Collections.Concurrent;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Cloud.Fleet.Updates;

/// <summary>
/// Builds the signed update that takes one device from what it holds to a target image: a sparse delta when the
/// device holds a published image of the same shape (verified by its SHA-256), a full image otherwise. The
/// pulses and energy are estimated from the device preset's compact model before anything is sent, at the
/// temperature of the device's newest telemetry with a reading, kept in its row (<see cref="UpdateCost.TableAt"/>); a device that reported no
/// temperature, or one outside the characterized range (which the device itself refuses to program at), is priced
/// at its preset's own table.
/// </summary>
public sealed class UpdateBuilder(ModelCatalog catalog, KeyRing keys)
{
    public sealed record Built(string UpdateId, SignedUpdate Signed, byte[] Bytes, UpdateKind Kind, ulong BaseVersion,
        int SynapsesChanged, ProgrammingCost.Estimate Cost);

    // What every device moving between the same two published images at the same pricing table shares: the delta and
    // its cost, or a full image's cost (each a pass over every synapse, 2.4 million in the paper's network). Bounded as
    // the catalog's images are: past it the plans start afresh (per-user models make one pair a user).
    private readonly ConcurrentDictionary<(string, ulong, string, ulong, string), (List<LayerDelta> Deltas, int Changed, ProgrammingCost.Estimate Cost)> _deltas = new();
    private readonly ConcurrentDictionary<(string, ulong, string), (int Changed, ProgrammingCost.Estimate Cost)> _fullCosts = new();
    private const int MaxCachedPlans = 256;

    public Built Build(DeviceRegistry.Device device, ModelImage target, bool fullImage = false)
    {
        byte[] targetSha = catalog.Digest(target);
        var update = new Update
        {
            SchemaVersion = WireSchema.Current, UpdateId = Guid.NewGuid().ToString("N"), DeviceId = device.DeviceId, ModelId = target.ModelId,
            NewVersion = target.Version, ResultSha256 = ByteString.CopyFrom(targetSha), CreatedUnixMs = FleetDatabase.NowMs(),
        };
        StateTable table = PricingTable(target.PresetName, device.TemperatureK);
        ModelImage? held = device.ModelVersion == 0 ? null : catalog.Find(device.ModelId, device.ModelVersion);
        bool heldVerified = held is not null && catalog.Digest(held).AsSpan().SequenceEqual(device.ImageSha256);
        int changed;
        ProgrammingCost.Estimate cost;
        if (!fullImage && heldVerified && ModelCatalog.Shape(held!) == ModelCatalog.Shape(target) && held!.PresetName == target.PresetName)
        {
            if (_deltas.Count >= MaxCachedPlans) _deltas.Clear();
            var delta = _deltas.GetOrAdd((held.ModelId, held.Version, target.ModelId, target.Version, table.Name), _ => UpdateCost.Diff(held, target, table));
            update.Kind = UpdateKind.Delta;
            update.BaseVersion = device.ModelVersion;
            update.Layers.Add(delta.Deltas);
            update.Header = DeltaEncoder.Header(target);
            (changed, cost) = (delta.Changed, delta.Cost);
        }
        else
        {
            update.Kind = UpdateKind.FullImage;
            update.BaseVersion = device.ModelVersion;
            update.Image = target;
            if (_fullCosts.Count >= MaxCachedPlans) _fullCosts.Clear();
            (changed, cost) = _fullCosts.GetOrAdd((target.ModelId, target.Version, table.Name), _ => UpdateCost.FullCost(target, table));
        }
        KeyRing.Active signer = keys.Current();
        SignedUpdate signed = UpdateSigner.Sign(update, signer.Key);
        if (signer.Delegation is { } delegation) signed.Delegation = delegation;
        return new Built(update.UpdateId, signed, signed.ToByteArray(), update.Kind, update.BaseVersion, changed, cost);
    }

    private static StateTable PricingTable(string preset, double? temperatureK)
    {
        try
        {
            return UpdateCost.TableAt(preset, temperatureK);
        }
        catch (ArgumentException)
        {
            return UpdateCost.TableAt(preset, null);
        }
    }
}
