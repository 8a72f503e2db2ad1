using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// A versioned, cited file of the particle model's inputs per repeat count n (<see cref="SkyrmionParameters"/>): the model reads
/// its physics from data, so the hand-tuned set and the set derived by micromagnetics can be run side by side
/// (<c>device characterize --params tuned|derived|FILE</c>). Shipped sets are embedded from <c>Physics/ParameterSets</c>.
/// </summary>
public sealed record ParticleParameterSet(int Version, string Name, string Source, IReadOnlyList<string> Citations, IReadOnlyList<SkyrmionParameters> Repeats)
{
    public const int CurrentVersion = 1;

    /// <summary>The shipped presets' set.</summary>
    public const string DefaultName = "tuned";

    public static ParticleParameterSet Tuned { get; } = Get(DefaultName);

    public static IReadOnlyList<string> Names =>
        typeof(ParticleParameterSet).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Select(n => n[Prefix.Length..^".json".Length]).Order().ToList();

    public SkyrmionParameters ForRepeats(int multilayerRepeats) =>
        Repeats.FirstOrDefault(r => r.MultilayerRepeats == multilayerRepeats)
        ?? throw new ArgumentException($"particle parameters '{Name}' have no row for n = {multilayerRepeats} repeats; they cover n = {string.Join(", ", Repeats.Select(r => r.MultilayerRepeats))}.");

    /// <summary>A shipped set by name, or a parameter file when <paramref name="nameOrPath"/> is a path.</summary>
    public static ParticleParameterSet Get(string nameOrPath)
    {
        if (File.Exists(nameOrPath)) return FromJson(File.ReadAllText(nameOrPath), nameOrPath);
        using Stream? stream = typeof(ParticleParameterSet).Assembly.GetManifestResourceStream(Prefix + nameOrPath + ".json");
        if (stream is null) throw new ArgumentException($"no particle parameter set or file named '{nameOrPath}'; shipped: {string.Join(", ", Names)}.");
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd(), nameOrPath);
    }

    public static ParticleParameterSet FromJson(string json, string origin)
    {
        ParticleParameterSet? set;
        try
        {
            set = JsonSerializer.Deserialize(json, ParticleParameterSetJsonContext.Default.ParticleParameterSet);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"particle parameters {origin}: not a valid parameter file ({e.Message}).");
        }
        if (set is null || set.Repeats is null || set.Repeats.Count == 0) throw new ArgumentException($"particle parameters {origin}: no repeats.");
        if (set.Version != CurrentVersion) throw new ArgumentException($"particle parameters {origin}: version {set.Version}, this build reads {CurrentVersion}.");
        if (string.IsNullOrWhiteSpace(set.Source)) throw new ArgumentException($"particle parameters {origin}: no source (every set names the run or the choice that made it).");
        foreach (SkyrmionParameters row in set.Repeats) row.Validated(set.Name);
        if (set.Repeats.Select(r => r.MultilayerRepeats).Distinct().Count() != set.Repeats.Count) throw new ArgumentException($"particle parameters {origin}: a repeat count appears twice.");
        return set;
    }

    public string ToJson() => JsonSerializer.Serialize(this, ParticleParameterSetJsonContext.Default.ParticleParameterSet);

    /// <summary>Writes the file atomically (a partial file is renamed into place).</summary>
    public void Save(string path)
    {
        string temp = path + ".partial";
        File.WriteAllText(temp, ToJson());
        File.Move(temp, path, overwrite: true);
    }

    private const string Prefix = "EdgeSkyrmion.DeviceModel.Physics.ParameterSets.";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ParticleParameterSet))]
internal sealed partial class ParticleParameterSetJsonContext : JsonSerializerContext;
