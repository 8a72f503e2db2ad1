using System.CommandLine;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>
/// `--backend` of the agreement commands, which always compare against the C# path: the ILGPU accelerator to compare
/// with — the preferred one (CUDA where present) or ILGPU's CPU accelerator.
/// </summary>
public static class IlgpuBackendOption
{
    public static Option<string> Create() =>
        new("--backend") { Description = "ilgpu (default: the preferred accelerator, CUDA where present) or ilgpu-cpu.", DefaultValueFactory = _ => "ilgpu" };

    /// <summary>Whether the named backend is ILGPU's CPU accelerator; refuses any other name than the two.</summary>
    public static bool CpuOnly(ParseResult parse, Option<string> backend) => parse.GetValue(backend) switch
    {
        "ilgpu" => false,
        "ilgpu-cpu" => true,
        var name => throw new ArgumentException($"unknown backend '{name}': use ilgpu or ilgpu-cpu."),
    };
}
