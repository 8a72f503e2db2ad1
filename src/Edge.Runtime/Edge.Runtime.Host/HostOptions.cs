using System.CommandLine;

namespace EdgeSkyrmion.Edge.Host;

/// <summary>Options every `edge` verb that works on a device takes.</summary>
internal static class HostOptions
{
    public static Option<string> State() => new("--state")
    {
        Description = "The device's state directory.",
        Required = true,
    };
}
