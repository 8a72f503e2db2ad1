namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Which path new magnets evaluate their torque on: the C# path unless the host program scopes an ILGPU one with
/// <see cref="Use"/>, so that code building its magnets deep inside (the derivation's minimizations and runs) runs on the
/// chosen path without passing it down. Scoped per flow of execution, as <see cref="DemagProvider"/> is.
/// </summary>
public static class TorqueBackends
{
    public const string CSharp = "csharp";

    /// <summary>ILGPU's preferred accelerator: CUDA where present (the torque, and demag on cuFFT, on the GPU).</summary>
    public const string Ilgpu = "ilgpu";

    /// <summary>ILGPU's CPU accelerator: a correctness check, ≈ 100× slower than the C# path.</summary>
    public const string IlgpuCpu = "ilgpu-cpu";

    public static readonly string[] Names = [CSharp, Ilgpu, IlgpuCpu];

    private static readonly AsyncLocal<string?> s_scoped = new();

    /// <summary>The path new magnets get here.</summary>
    public static string Current => s_scoped.Value ?? CSharp;

    /// <summary>Until the returned scope is disposed, magnets built in this flow of execution run on the path <paramref name="name"/> names.</summary>
    public static IDisposable Use(string name)
    {
        if (!Names.Contains(name)) throw new ArgumentException($"unknown backend '{name}': use {string.Join(", ", Names[..^1])} or {Names[^1]}.");
        string? previous = s_scoped.Value;
        s_scoped.Value = name;
        return new AmbientScope(() => s_scoped.Value = previous);
    }
}
