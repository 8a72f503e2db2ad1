using System.Reflection;

namespace EdgeSkyrmion.DeviceModel.Compact;

/// <summary>The state tables shipped with the library (JSON files in DeviceModel/Presets, embedded).</summary>
public static class Presets
{
    public const string Default = "mml4-300K";

    public static IReadOnlyList<string> Names =>
        Assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..^".json".Length]).Order().ToList();

    /// <summary>A shipped preset by name, or a state table file when <paramref name="nameOrPath"/> is a path.</summary>
    public static StateTable Get(string nameOrPath)
    {
        if (File.Exists(nameOrPath)) return StateTable.Load(nameOrPath);
        using Stream? stream = Assembly.GetManifestResourceStream(Prefix + nameOrPath + ".json");
        if (stream is null)
            throw new ArgumentException($"no preset or file named {nameOrPath}; shipped presets: {string.Join(", ", Names)}.");
        using var reader = new StreamReader(stream);
        return StateTable.FromJson(reader.ReadToEnd(), $"preset {nameOrPath}");
    }

    private const string Prefix = "EdgeSkyrmion.DeviceModel.Presets.";
    private static Assembly Assembly => typeof(Presets).Assembly;
}
