using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace EdgeSkyrmion.Cloud.Training;

/// <summary>
/// A trained full-precision network as named float32 tensors, readable without TorchSharp.
///
/// Format (little-endian), version 1:
///   bytes 0–3   magic "ESKM"
///   bytes 4–7   uint32 format version (1)
///   bytes 8–11  uint32 N = length of the UTF-8 JSON header
///   N bytes     JSON header: {"tensors":[{"name","shape":[..]}...], "metadata":{string:string}}
///   then each tensor's float32 elements, row major, in header order, nothing between them.
/// A layer's weight is named "layerK.weight" with shape [out, in], as torch.nn.Linear stores it.
/// </summary>
public sealed class ModelFile
{
    public const uint FormatVersion = 1;
    private static readonly byte[] Magic = "ESKM"u8.ToArray();

    public sealed record Tensor(string Name, int[] Shape, float[] Data)
    {
        public int Rows => Shape[0];
        public int Columns => Shape.Length > 1 ? Shape[1] : 1;
    }

    private sealed record HeaderTensor(string Name, int[] Shape);
    private sealed record Header(List<HeaderTensor> Tensors, Dictionary<string, string> Metadata);

    public IReadOnlyList<Tensor> Tensors { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public ModelFile(IReadOnlyList<Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        foreach (Tensor t in tensors)
        {
            long count = t.Shape.Aggregate(1L, (a, b) => a * b);
            if (t.Shape.Any(d => d <= 0) || count != t.Data.Length)
                throw new ArgumentException($"tensor {t.Name}: shape [{string.Join(",", t.Shape)}] does not match {t.Data.Length} elements.");
        }
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The weight matrices of a fully connected stack, in layer order; checks that the shapes chain.</summary>
    public IReadOnlyList<Tensor> LayerWeights(string source = "model")
    {
        var weights = Tensors.Where(t => t.Name.EndsWith(".weight", StringComparison.Ordinal)).ToList();
        if (weights.Count == 0) throw new InvalidDataException($"{source}: no layer weights (tensors named layerK.weight).");
        for (int i = 0; i < weights.Count; i++)
        {
            if (weights[i].Shape.Length != 2)
                throw new InvalidDataException($"{source}: {weights[i].Name} has shape [{string.Join(",", weights[i].Shape)}], expected [out, in].");
            if (i > 0 && weights[i].Columns != weights[i - 1].Rows)
                throw new InvalidDataException($"{source}: {weights[i].Name} takes {weights[i].Columns} inputs but {weights[i - 1].Name} gives {weights[i - 1].Rows}.");
        }
        return weights;
    }

    public void Save(string path)
    {
        var header = new Header(Tensors.Select(t => new HeaderTensor(t.Name, t.Shape)).ToList(), Metadata.ToDictionary());
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header, CamelCase);
        string temp = path + ".partial";
        using (FileStream file = File.Create(temp))
        {
            file.Write(Magic);
            Span<byte> u32 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(u32, FormatVersion);
            file.Write(u32);
            BinaryPrimitives.WriteUInt32LittleEndian(u32, (uint)json.Length);
            file.Write(u32);
            file.Write(json);
            foreach (Tensor t in Tensors)
                file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.Data.AsSpan()));
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    public static ModelFile Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"model file {path} does not exist.", path);
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 12 || !bytes.AsSpan(0, 4).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not an EdgeSkyrmion model file (magic \"ESKM\" missing).");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
        if (version != FormatVersion)
            throw new InvalidDataException($"{path}: model format version {version}, this build reads version {FormatVersion}.");
        uint jsonLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (jsonLength > bytes.Length - 12) throw new InvalidDataException($"{path}: truncated header.");
        Header header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(Encoding.UTF8.GetString(bytes, 12, (int)jsonLength), CamelCase)
                ?? throw new InvalidDataException($"{path}: empty header.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: malformed header ({e.Message}).", e);
        }
        long offset = 12 + jsonLength;
        var tensors = new List<Tensor>();
        foreach (HeaderTensor h in header.Tensors ?? [])
        {
            if (h.Name is null || h.Shape is null || h.Shape.Length == 0 || h.Shape.Any(d => d <= 0))
                throw new InvalidDataException($"{path}: tensor {h.Name ?? "?"} has no valid shape.");
            long count = h.Shape.Aggregate(1L, (a, b) => a * b);
            if (offset + count * 4 > bytes.Length)
                throw new InvalidDataException($"{path}: truncated: tensor {h.Name} [{string.Join(",", h.Shape)}] runs past the end of the file.");
            var data = new float[count];
            Buffer.BlockCopy(bytes, (int)offset, data, 0, (int)(count * 4));
            offset += count * 4;
            tensors.Add(new Tensor(h.Name, h.Shape, data));
        }
        if (offset != bytes.Length) throw new InvalidDataException($"{path}: {bytes.Length - offset} unexpected bytes after the last tensor.");
        return new ModelFile(tensors, header.Metadata ?? []);
    }

    private static readonly JsonSerializerOptions CamelCase = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
