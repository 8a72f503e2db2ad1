using EdgeSkyrmion.DeviceModel.Energy;
using System.Security.Cryptography;
using EdgeSkyrmion.Edge.Energy;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Edge.Updates;

/// <summary>
/// The device side of an update: verify the signature against a key the device trusts (<see cref="UpdateTrust"/>), check that it is for this
/// device and this base version, rebuild the resulting image and check its SHA-256, then program through the
/// durable <see cref="EdgeDevice"/>. Every refusal is an ack with the reason and changes nothing; applying the
/// update the device already holds is a no-op that acks success.
/// </summary>
public sealed class UpdateApplier(EdgeDevice device, UpdateTrust trust)
{
    /// <summary>A device that pins one update-signing key.</summary>
    public UpdateApplier(EdgeDevice device, byte[] pinnedSigningKeyDer) : this(device, UpdateTrust.PinnedSigningKey(pinnedSigningKeyDer)) { }

    public UpdateTrust Trust => trust;

    public UpdateAck Apply(SignedUpdate signed, Action<double>? progress = null)
    {
        string updateId = "";
        // Pushed updates and the local provisioning port may arrive together; the crossbar takes one at a time.
        lock (device)
        {
            try
            {
                Update update = trust.Verify(signed);
                updateId = update.UpdateId;
                return Apply(update, progress);
            }
            catch (InvalidDataException e)
            {
                return Rejected(updateId, e.Message);
            }
        }
    }

    private UpdateAck Apply(Update update, Action<double>? progress)
    {
        var held = device.Committed;
        if (update.SchemaVersion != WireSchema.Current) return Rejected(update.UpdateId, $"update schema v{update.SchemaVersion} is not supported (this device reads v{WireSchema.Current}).");
        if (update.DeviceId != held.DeviceId) return Rejected(update.UpdateId, $"update is for device {update.DeviceId}, this is {held.DeviceId}.");
        if (update.NewVersion == held.ModelVersion && update.ModelId == held.ModelId && held.Image.Length > 0
            && SHA256.HashData(held.Image).AsSpan().SequenceEqual(update.ResultSha256.Span))
            return Acked(update.UpdateId, new UpdateReport(update.UpdateId, held.ModelVersion, held.ModelVersion, true, false, 0, 0, 0, default, 0));
        if (update.NewVersion <= held.ModelVersion)
            return Rejected(update.UpdateId, $"replay or downgrade: update to v{update.NewVersion}, device holds v{held.ModelVersion}.");

        ModelImage next;
        switch (update.Kind)
        {
            case UpdateKind.FullImage:
                next = update.Image ?? throw new InvalidDataException("full-image update carries no image.");
                if (next.ModelId != update.ModelId || next.Version != update.NewVersion)
                    return Rejected(update.UpdateId, $"image is {next.ModelId} v{next.Version}, the update names {update.ModelId} v{update.NewVersion}.");
                break;
            case UpdateKind.Delta:
                if (update.BaseVersion != held.ModelVersion || held.Image.Length == 0)
                    return Rejected(update.UpdateId, $"wrong base version: delta from v{update.BaseVersion}, device holds v{held.ModelVersion}.");
                if (update.Header is null) return Rejected(update.UpdateId, "delta update carries no image header.");
                next = DeltaCodec.Apply(ModelImage.Parser.ParseFrom(held.Image), update.Header, update.Layers);
                if (next.ModelId != update.ModelId || next.Version != update.NewVersion)
                    return Rejected(update.UpdateId, $"delta header is {next.ModelId} v{next.Version}, the update names {update.ModelId} v{update.NewVersion}.");
                break;
            default:
                return Rejected(update.UpdateId, $"unknown update kind {update.Kind}.");
        }
        // The image the device would hold (a full image, or the delta header with the rebuilt states) obeys every
        // rule a model image file does; a defect is refused here, before the journal, naming the field.
        ModelImageFile.Validate(next, $"update {update.UpdateId} image");
        byte[] nextBytes = next.ToByteArray();
        if (!SHA256.HashData(nextBytes).AsSpan().SequenceEqual(update.ResultSha256.Span))
            return Rejected(update.UpdateId, "result SHA-256 mismatch: the rebuilt image differs from the one the cloud signed.");

        var (layers, targets) = ImageTargets.From(next, held.Table);
        UpdateReport report;
        if (update.Kind == UpdateKind.FullImage || device.Layout is null || !device.Layout.Layers.SequenceEqual(layers))
        {
            report = device.ApplyImage(update.UpdateId, update.ModelId, update.NewVersion, nextBytes, layers, targets, progress);
        }
        else
        {
            var devices = new List<int>();
            var newTargets = new List<byte>();
            for (int d = 0; d < targets.Length; d++)
            {
                if (held.Targets[d] == targets[d]) continue;
                devices.Add(d);
                newTargets.Add(targets[d]);
            }
            report = device.ApplyDelta(update.UpdateId, update.ModelId, update.BaseVersion, update.NewVersion, nextBytes, layers,
                [.. devices], [.. newTargets], progress);
        }
        return Acked(update.UpdateId, report);
    }

    public static EnergyReport Report(EnergyTally t) => new()
    {
        ProgrammingPulses = (ulong)t.ProgrammingPulses, ProgrammingEnergyFj = Units.Femtojoules(t.ProgrammingEnergyJ),
        InitializationPulses = (ulong)t.InitializationPulses, InitializationEnergyFj = Units.Femtojoules(t.InitializationEnergyJ),
        Reads = (ulong)t.Reads, ReadEnergyFj = Units.Femtojoules(t.ReadEnergyJ),
    };

    private UpdateAck Acked(string updateId, UpdateReport r) => new()
    {
        UpdateId = updateId, Applied = true, ModelVersion = device.Committed.ModelVersion, Energy = Report(r.Energy),
        DevicesProgrammed = (uint)r.DevicesProgrammed, DevicesFailed = (uint)r.DevicesFailed, Seconds = r.Seconds,
    };

    private UpdateAck Rejected(string updateId, string reason) => new()
    {
        UpdateId = updateId, Applied = false, ModelVersion = device.Committed.ModelVersion, Reason = reason,
    };
}
