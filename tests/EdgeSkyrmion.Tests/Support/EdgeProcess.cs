using System.Diagnostics;

namespace EdgeSkyrmion.Tests.Support;

/// <summary>The real edge program (the built edge.dll beside the tests) as a child process, and state-directory copies for it.</summary>
public static class EdgeProcess
{
    /// <summary>Starts the edge with its output drained and discarded (for processes a test kills).</summary>
    public static Process Start(params string[] args)
    {
        Process p = Process.Start(StartInfo(args))!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>Runs the edge to its exit.</summary>
    public static CliProcess.Outcome Run(params string[] args) => CliProcess.RunProgram("edge.dll", null, args);

    /// <summary>
    /// Per trial, a fresh copy of <paramref name="baseDir"/> under <paramref name="root"/> (t0, t1, …), `edge VERB --state
    /// COPY ARGS…` started on it and killed (SIGKILL) at a random instant in [<paramref name="fromMs"/>, <paramref name="toMs"/>)
    /// after its start; returns the copies as the killed processes left them.
    /// </summary>
    public static string[] KilledRuns(string baseDir, string root, int trials, int fromMs, int toMs, int seed, string verb, params string[] args)
    {
        var rng = new Random(seed);
        var dirs = new string[trials];
        for (int trial = 0; trial < trials; trial++)
        {
            dirs[trial] = CopyDirectory(baseDir, Path.Combine(root, $"t{trial}"));
            using Process edge = Start([verb, "--state", dirs[trial], .. args]);
            Thread.Sleep(rng.Next(fromMs, toMs));
            try { edge.Kill(); } catch (InvalidOperationException) { }
            edge.WaitForExit();
        }
        return dirs;
    }

    public static string CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        return to;
    }

    private static ProcessStartInfo StartInfo(string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(LoopbackProcesses.Binary("edge.dll"));
        foreach (string a in args) psi.ArgumentList.Add(a);
        return psi;
    }
}
