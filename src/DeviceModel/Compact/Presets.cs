using System.Reflection;

namespace EdgeSkyrmion.DeviceModel.Compact;

/// <summary>The state tables shipped with the library (JSON files in DeviceModel/Presets, embedded).</summary>
public static class Presets
{
    public const string Default = "mml4-300K";

    public static IReadOnlyList<string> Names { get; } =
        Assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..^".json".Length]).Order().ToList().AsReadOnly();

    // Parsed once: a shipped preset never changes, and the fleet prices every update at a table of its design
    // (TemperatureTables.ForDesign reads all of them), which cost ≈ 1.5 ms of JSON parsing an update when parsed each time.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, StateTable> ShippedTables = new(StringComparer.Ordinal);

    /// <summary>
    /// A shipped preset by name (one instance a name, shared by every caller: never write into its arrays), or a state
    /// table file, read afresh, when <paramref name="nameOrPath"/> is a path.
    /// </summary>
    public static StateTable Get(string nameOrPath) => File.Exists(nameOrPath) ? StateTable.Load(nameOrPath) : Shipped(nameOrPath);

    /// <summary>A shipped preset by name only (a file of that name does not stand in for it), shared as <see cref="Get"/>'s.</summary>
    public static StateTable Shipped(string name)
    {
        if (ShippedTables.TryGetValue(name, out StateTable? parsed)) return parsed;
        using Stream? stream = Assembly.GetManifestResourceStream(Prefix + name + ".json");
        if (stream is null)
            throw new ArgumentException($"no preset or file named {name}; shipped presets: {string.Join(", ", Names)}.");
        using var reader = new StreamReader(stream);
        return ShippedTables.GetOrAdd(name, StateTable.FromJson(reader.ReadToEnd(), $"preset {name}"));
    }

    private const string Prefix = "EdgeSkyrmion.DeviceModel.Presets.";
    private static Assembly Assembly => typeof(Presets).Assembly;
}
