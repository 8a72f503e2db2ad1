using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Cloud.Fleet.Storage;

/// <summary>Published model images (artifacts), by model id and version.</summary>
public sealed class ModelCatalog(FleetDatabase db)
{
    public sealed record Entry(string ModelId, ulong Version, string Shape, string Preset, uint Levels, int Bytes, string Sha256, long PublishedMs);

    /// <summary>
    /// Stores an artifact as the next version of its model id: newer than every published version, of the same
    /// network shape and device preset as the latest (a device holding it then gets a delta). Publishing the same
    /// id and version again with the same bytes is a no-op; anything else is refused and stores nothing.
    /// </summary>
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
        // Under the model id's lock: the checks against the latest version and the insert are one step, across servers.
        using var tx = db.BeginWrite(c, "model:" + image.ModelId);
        byte[]? existing = FleetDatabase.Scalar<byte[]>(c, "SELECT sha256 FROM models WHERE model_id = @m AND version = @v",
            ("@m", image.ModelId), ("@v", (long)image.Version));
        if (existing is not null)
        {
            if (!existing.AsSpan().SequenceEqual(sha))
                throw new ArgumentException($"model {image.ModelId} v{image.Version} is already published with different contents; publish a new version.");
            return Select(c, "WHERE model_id = @m AND version = @v", ("@m", image.ModelId), ("@v", (long)image.Version)).Single();
        }
        if (Select(c, "WHERE model_id = @m ORDER BY version DESC LIMIT 1", ("@m", image.ModelId)).SingleOrDefault() is { } latest)
        {
            if (image.Version <= latest.Version)
                throw new ArgumentException($"model {image.ModelId} v{image.Version} is not newer than the published v{latest.Version}; publish v{latest.Version + 1} or later.");
            if (shape != latest.Shape)
                throw new ArgumentException($"model {image.ModelId} v{image.Version} has shape {shape}, the published v{latest.Version} has {latest.Shape}; a new network shape needs a new model id.");
            if (image.PresetName != latest.Preset)
                throw new ArgumentException($"model {image.ModelId} v{image.Version} is quantized for preset {image.PresetName}, the published v{latest.Version} for {latest.Preset}; convert with --states {latest.Preset} or use a new model id.");
        }
        long now = FleetDatabase.NowMs();
        FleetDatabase.Execute(c, "INSERT INTO models VALUES (@m, @v, @a, @s, @shape, @p, @l, @t)",
            ("@m", image.ModelId), ("@v", (long)image.Version), ("@a", bytes), ("@s", sha), ("@shape", shape),
            ("@p", image.PresetName), ("@l", (long)image.Levels), ("@t", now));
        tx.Commit();
        return new Entry(image.ModelId, image.Version, shape, image.PresetName, image.Levels, bytes.Length, Convert.ToHexStringLower(sha), now);
    }

    /// <summary>Published versions, by model id then version (one model id, or all when null).</summary>
    public IReadOnlyList<Entry> List(string? modelId)
    {
        using var c = db.Open();
        return modelId is null ? Select(c, "ORDER BY model_id, version") : Select(c, "WHERE model_id = @m ORDER BY version", ("@m", modelId));
    }

    private static List<Entry> Select(DbConnection c, string where, params (string Name, object? Value)[] parameters)
    {
        using var cmd = FleetDatabase.Command(c, $"SELECT model_id, version, shape, preset, levels, length(artifact), sha256, created_ms FROM models {where}", parameters);
        using var r = cmd.ExecuteReader();
        var list = new List<Entry>();
        while (r.Read())
            list.Add(new Entry(r.GetString(0), (ulong)r.GetInt64(1), r.GetString(2), r.GetString(3), (uint)r.GetInt64(4), r.GetInt32(5),
                Convert.ToHexStringLower((byte[])r.GetValue(6)), r.GetInt64(7)));
        return list;
    }

    /// <summary>
    /// Images read so far, by model id and version, each with its SHA-256 (<see cref="DeltaCodec.Digest"/>). A published
    /// version never changes (<see cref="Publish"/> refuses other bytes under it, and nothing deletes one), on this node
    /// or another, so a read is good for the node's life: every update pushed reads its target and the device's held
    /// image, which were two database reads an update, and compares digests, which hashed each image (9 ms for the
    /// paper's 784-1200-1200-10 network, 4.8 MB) three times an update.
    /// </summary>
    private readonly ConcurrentDictionary<(string ModelId, ulong Version), (ModelImage Image, byte[] Sha256)> _read = new();

    /// <summary>Bounds <see cref="_read"/>: past it the cache starts afresh (a fleet rolls out a few versions at a time).</summary>
    private const int MaxCachedImages = 16;

    /// <summary>The published image, or null. Shared between callers: clone it before changing it.</summary>
    public ModelImage? Find(string modelId, ulong version) => Read(modelId, version)?.Image;

    private (ModelImage Image, byte[] Sha256)? Read(string modelId, ulong version)
    {
        if (_read.TryGetValue((modelId, version), out var cached)) return cached;
        using var c = db.Open();
        byte[]? bytes = FleetDatabase.Scalar<byte[]>(c, "SELECT artifact FROM models WHERE model_id = @m AND version = @v",
            ("@m", modelId), ("@v", (long)version));
        if (bytes is null) return null;
        ModelImage image = ModelImage.Parser.ParseFrom(bytes);
        if (_read.Count >= MaxCachedImages) _read.Clear();
        return _read.GetOrAdd((modelId, version), (image, DeltaCodec.Digest(image)));
    }

    /// <summary>
    /// <see cref="DeltaCodec.Digest"/> of <paramref name="image"/>: kept from its read when it is the instance this
    /// catalog returned for its model id and version, hashed afresh otherwise.
    /// </summary>
    public byte[] Digest(ModelImage image) =>
        _read.TryGetValue((image.ModelId, image.Version), out var cached) && ReferenceEquals(cached.Image, image) ? cached.Sha256 : DeltaCodec.Digest(image);

    public ModelImage Get(string modelId, ulong version) =>
        Find(modelId, version) ?? throw new ArgumentException($"model {modelId} v{version} is not published.");

    public static string Shape(ModelImage image) =>
        string.Join("-", image.Layers.Select(l => l.Inputs).Append(image.Layers.Count > 0 ? image.Layers[^1].Outputs : 0u));
}
