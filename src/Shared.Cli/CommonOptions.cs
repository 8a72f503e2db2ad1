using System.CommandLine;

namespace EdgeSkyrmion.Cli;

/// <summary>Options several programs take with the same meaning and default.</summary>
public static class CommonOptions
{
    public const string DefaultDataDirectory = "data/mnist";

    /// <summary>`--data DIR`: a folder with train-/t10k- images and labels in IDX format, relative to where the operator stands.</summary>
    public static Option<string> Data() => new("--data")
    {
        Description = "Folder with train-/t10k- images and labels in IDX format (optionally .gz).",
        DefaultValueFactory = _ => DefaultDataDirectory,
    };
}
