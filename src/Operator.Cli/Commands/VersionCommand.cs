using EdgeSkyrmion.Cli;
using System.CommandLine;
using System.Reflection;
using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>`version`: product, runtime, wire schema and whether TorchSharp's native library loads here.</summary>
public static class VersionCommand
{
    public sealed record VersionInfo(string Product, string Version, string Runtime, int WireSchema, string TorchSharp, bool TorchLoads, string? TorchError, int TorchThreads);

    public static Command Build() => CliCommand.Create("version", "Show versions and check that TorchSharp loads.", (_, ctx, _) =>
    {
        Assembly self = typeof(VersionCommand).Assembly;
        string version = self.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        (bool loads, string? error) = TorchRuntime.TryInitialize();
        var info = new VersionInfo("EdgeSkyrmion", version, Environment.Version.ToString(), (int)WireSchema.Current,
            typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "?", loads, error, loads ? TorchRuntime.Threads : 0);
        ctx.Emit(info, o =>
        {
            o.WriteLine($"EdgeSkyrmion {info.Version} on .NET {info.Runtime}, wire schema v{info.WireSchema}");
            o.WriteLine(loads ? $"TorchSharp {info.TorchSharp}: loads, {info.TorchThreads} intra-op thread(s)" : $"TorchSharp {info.TorchSharp}: does NOT load: {error}");
        });
        return Task.CompletedTask;
    });
}
