using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Energy;

namespace EdgeSkyrmion.Edge.Durability;

/// <summary>
/// Everything the wearable must keep across power loss: which model version it holds, the model image (network
/// shape, thresholds, target levels), the device preset, the chip's identity (its fabrication seed), each device's
/// physical state and failure flag, and the lifetime energy ledger.
/// </summary>
public sealed record EdgeSnapshot
{
    public const uint FormatVersion = 1;
    private static readonly byte[] Magic = "ESKS"u8.ToArray();

    public required string DeviceId { get; init; }
    public required string ModelId { get; init; }

    /// <summary>0 = nothing programmed yet.</summary>
    public required ulong ModelVersion { get; init; }

    /// <summary>The serialized model image that was programmed (empty before the first image).</summary>
    public required byte[] Image { get; init; }

    public required StateTable Table { get; init; }
    public required int ChipSeed { get; init; }
    public required (int Inputs, int Outputs)[] Layers { get; init; }

    /// <summary>Target state of every device (what the image asks for).</summary>
    public required byte[] Targets { get; init; }

    /// <summary>Physical state of every device (what it holds).</summary>
    public required byte[] DeviceStates { get; init; }

    public required ulong[] FailedBits { get; init; }
    public required EnergyTally Lifetime { get; init; }
    public required long UpdatesApplied { get; init; }

    /// <summary>Unix time (s) when the last programming session ended; decides whether devices have gone cold.</summary>
    public required double LastProgrammedUnixS { get; init; }

    public void Save(string path)
    {
        ChecksummedFile.Write(path, Magic, FormatVersion, w =>
        {
            w.Write(DeviceId);
            w.Write(ModelId);
            w.Write(ModelVersion);
            w.Write(Table.ToJson());
            w.Write(ChipSeed);
            WriteLayers(w, Layers);
            WriteBytes(w, Image);
            WriteBytes(w, Targets);
            WriteBytes(w, DeviceStates);
            w.Write(FailedBits.Length);
            foreach (ulong bits in FailedBits) w.Write(bits);
            WriteTally(w, Lifetime);
            w.Write(UpdatesApplied);
            w.Write(LastProgrammedUnixS);
        });
    }

    public static EdgeSnapshot Load(string path)
    {
        return ChecksummedFile.Read(path, Magic, FormatVersion, "state", r =>
        {
            string deviceId = r.ReadString();
            string modelId = r.ReadString();
            ulong version = r.ReadUInt64();
            StateTable table = StateTable.FromJson(r.ReadString(), $"{path} (embedded preset)");
            int seed = r.ReadInt32();
            (int, int)[] layers = ReadLayers(r, path);
            byte[] image = ReadBytes(r);
            byte[] targets = ReadBytes(r);
            byte[] states = ReadBytes(r);
            var failed = new ulong[ReadCount(r, 8, "failure-flag word")];
            for (int i = 0; i < failed.Length; i++) failed[i] = r.ReadUInt64();
            var snapshot = new EdgeSnapshot
            {
                DeviceId = deviceId, ModelId = modelId, ModelVersion = version, Table = table, ChipSeed = seed, Layers = layers,
                Image = image, Targets = targets, DeviceStates = states, FailedBits = failed, Lifetime = ReadTally(r),
                UpdatesApplied = r.ReadInt64(), LastProgrammedUnixS = r.ReadDouble(),
            };
            if (targets.Length != states.Length || failed.Length != (states.Length + 63) / 64)
                throw new InvalidDataException($"{path}: device arrays disagree ({targets.Length} targets, {states.Length} states).");
            return snapshot;
        });
    }

    internal static void WriteLayers(BinaryWriter w, (int Inputs, int Outputs)[] layers)
    {
        w.Write(layers.Length);
        foreach ((int inputs, int outputs) in layers)
        {
            w.Write(inputs);
            w.Write(outputs);
        }
    }

    internal static (int, int)[] ReadLayers(BinaryReader r, string path)
    {
        int count = r.ReadInt32();
        if (count is < 0 or > 64) throw new InvalidDataException($"{path}: layer count {count} is out of range.");
        var layers = new (int, int)[count];
        for (int l = 0; l < count; l++) layers[l] = (r.ReadInt32(), r.ReadInt32());
        return layers;
    }

    internal static void WriteBytes(BinaryWriter w, byte[] bytes)
    {
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    /// <summary>An element count that the rest of the payload can hold, so a corrupt count fails here instead of allocating.</summary>
    internal static int ReadCount(BinaryReader r, int bytesPerItem, string what)
    {
        int count = r.ReadInt32();
        if (count < 0 || count > (r.BaseStream.Length - r.BaseStream.Position) / bytesPerItem)
            throw new InvalidDataException($"{what} count {count} runs past the end of the file.");
        return count;
    }

    internal static byte[] ReadBytes(BinaryReader r)
    {
        int length = r.ReadInt32();
        if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position)
            throw new InvalidDataException($"byte field of length {length} runs past the end of the file.");
        return r.ReadBytes(length);
    }

    private static void WriteTally(BinaryWriter w, EnergyTally t)
    {
        w.Write(t.ProgrammingPulses);
        w.Write(t.ProgrammingEnergyJ);
        w.Write(t.InitializationPulses);
        w.Write(t.InitializationEnergyJ);
        w.Write(t.Reads);
        w.Write(t.ReadEnergyJ);
    }

    private static EnergyTally ReadTally(BinaryReader r) =>
        new(r.ReadInt64(), r.ReadDouble(), r.ReadInt64(), r.ReadDouble(), r.ReadInt64(), r.ReadDouble());
}
