namespace EdgeSkyrmion.Edge.Durability;

/// <summary>
/// The journal entry written (durably) before any device is pulsed: the update's identity, the image the device
/// will hold afterwards, and which devices must move to which target. Recovery re-runs it: write-verify programs
/// toward targets whatever state a device was left in, so re-running an interrupted update is safe.
/// </summary>
public sealed record PendingUpdate
{
    public const uint FormatVersion = 1;
    private static readonly byte[] Magic = "ESKJ"u8.ToArray();

    public required string UpdateId { get; init; }
    public required string ModelId { get; init; }
    public required ulong BaseVersion { get; init; }
    public required ulong NewVersion { get; init; }
    public required byte[] NewImage { get; init; }

    /// <summary>The crossbar's shape after the update (a full image may change it).</summary>
    public required (int Inputs, int Outputs)[] Layers { get; init; }

    /// <summary>Devices to program, ascending, and their new targets.</summary>
    public required int[] Devices { get; init; }

    public required byte[] NewTargets { get; init; }

    public void Save(string path)
    {
        ChecksummedFile.Write(path, Magic, FormatVersion, w =>
        {
            w.Write(UpdateId);
            w.Write(ModelId);
            w.Write(BaseVersion);
            w.Write(NewVersion);
            EdgeSnapshot.WriteBytes(w, NewImage);
            EdgeSnapshot.WriteLayers(w, Layers);
            w.Write(Devices.Length);
            foreach (int d in Devices) w.Write(d);
            EdgeSnapshot.WriteBytes(w, NewTargets);
        });
    }

    public static PendingUpdate Load(string path)
    {
        return ChecksummedFile.Read(path, Magic, FormatVersion, "journal", r =>
        {
            string updateId = r.ReadString();
            string modelId = r.ReadString();
            ulong baseVersion = r.ReadUInt64();
            ulong newVersion = r.ReadUInt64();
            byte[] image = EdgeSnapshot.ReadBytes(r);
            (int, int)[] layers = EdgeSnapshot.ReadLayers(r, path);
            int count = r.ReadInt32();
            if (count < 0 || count > (r.BaseStream.Length - r.BaseStream.Position) / 4)
                throw new InvalidDataException($"{path}: journal device count {count} is out of range.");
            var devices = new int[count];
            for (int i = 0; i < count; i++) devices[i] = r.ReadInt32();
            byte[] targets = EdgeSnapshot.ReadBytes(r);
            if (targets.Length != count) throw new InvalidDataException($"{path}: {count} devices but {targets.Length} targets.");
            return new PendingUpdate
            {
                UpdateId = updateId, ModelId = modelId, BaseVersion = baseVersion, NewVersion = newVersion,
                NewImage = image, Layers = layers, Devices = devices, NewTargets = targets,
            };
        });
    }
}
