using EdgeSkyrmion.Cli;
using System.Diagnostics;

namespace EdgeSkyrmion.Tests.Support;

/// <summary>Runs the real operator CLI (the built edgeskyrmion.dll beside the tests) as a child process.</summary>
public static class CliProcess
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    public static Outcome Run(params string[] args)
    {
        string dll = LoopbackProcesses.Binary("edgeskyrmion.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (string a in args) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(true); throw new TimeoutException(string.Join(' ', args)); }
        return new Outcome(p.ExitCode, stdout, stderr.Result);
    }
}
