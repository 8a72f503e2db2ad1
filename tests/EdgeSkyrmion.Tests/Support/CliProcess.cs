using EdgeSkyrmion.Cli;
using System.Diagnostics;

namespace EdgeSkyrmion.Tests.Support;

/// <summary>Runs the real operator CLI (the built edgeskyrmion.dll), or another program of the solution, as a child process to its exit.</summary>
public static class CliProcess
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    public static Outcome Run(params string[] args) => RunProgram("edgeskyrmion.dll", null, args);

    /// <summary>Runs `dotnet DLL args…`; <paramref name="environment"/> entries are set (null value: removed) for the child only.</summary>
    public static Outcome RunProgram(string dll, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(LoopbackProcesses.Binary(dll));
        foreach (string a in args) psi.ArgumentList.Add(a);
        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) psi.Environment.Remove(name);
            else psi.Environment[name] = value;
        }
        using Process p = Process.Start(psi)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(true); throw new TimeoutException(string.Join(' ', args)); }
        return new Outcome(p.ExitCode, stdout, stderr.Result);
    }
}
