using System.Security.Cryptography;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Cloud.Fleet;

/// <summary>Published model images (artifacts), by model id and version.</summary>
public sealed class ModelCatalog(FleetDatabase db)
{
    public sealed record Entry(string ModelId, ulong Version, string Shape, string Preset, uint Levels, int Bytes, string Sha256);

    /// <summary>Stores an artifact; the same id and version twice must be the same bytes.</summary>
    public Entry Publish(ModelImage image)
    {
        ModelImageFile.Validate(image, $"model {image.ModelId} v{image.Version}");
        if (string.IsNullOrWhiteSpace(image.ModelId) || image.Version == 0)
            throw new ArgumentException("a published model needs a model id and a version ≥ 1.");
        if (image.Levels == ModelImageFile.FullPrecision)
            throw new ArgumentException($"model {image.ModelId} v{image.Version} is full precision; publish a quantized image (convert --levels).");
        byte[] bytes = image.ToByteArray();
        byte[] sha = SHA256.HashData(bytes);
        string shape = Shape(image);
        using var c = db.Open();
        byte[]? existing = FleetDatabase.Scalar<byte[]>(c, "SELECT sha256 FROM models WHERE model_id = $m AND version = $v",
            ("$m", image.ModelId), ("$v", (long)image.Version));
        if (existing is not null)
        {
            if (!existing.AsSpan().SequenceEqual(sha))
                throw new ArgumentException($"model {image.ModelId} v{image.Version} is already published with different contents; publish a new version.");
        }
        else
        {
            FleetDatabase.Execute(c, "INSERT INTO models VALUES ($m, $v, $a, $s, $shape, $p, $l, $t)",
                ("$m", image.ModelId), ("$v", (long)image.Version), ("$a", bytes), ("$s", sha), ("$shape", shape),
                ("$p", image.PresetName), ("$l", (long)image.Levels), ("$t", FleetDatabase.NowMs()));
        }
        return new Entry(image.ModelId, image.Version, shape, image.PresetName, image.Levels, bytes.Length, Convert.ToHexStringLower(sha));
    }

    public ModelImage? Find(string modelId, ulong version)
    {
        using var c = db.Open();
        byte[]? bytes = FleetDatabase.Scalar<byte[]>(c, "SELECT artifact FROM models WHERE model_id = $m AND version = $v",
            ("$m", modelId), ("$v", (long)version));
        return bytes is null ? null : ModelImage.Parser.ParseFrom(bytes);
    }

    public ModelImage Get(string modelId, ulong version) =>
        Find(modelId, version) ?? throw new ArgumentException($"model {modelId} v{version} is not published.");

    public static string Shape(ModelImage image) =>
        string.Join("-", image.Layers.Select(l => l.Inputs).Append(image.Layers.Count > 0 ? image.Layers[^1].Outputs : 0u));
}
