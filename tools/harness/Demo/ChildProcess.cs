using System.Diagnostics;
using System.Text;

namespace EdgeSkyrmion.Harness.Demo;

/// <summary>A program of the solution running as its own process, its output captured (and echoed to stderr, prefixed).</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ChildProcess(Process process, string name, bool echo)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr) _stderr.AppendLine(e.Data);
            if (echo) Console.Error.WriteLine($"  [{name}] {e.Data}");
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static ChildProcess Start(string dll, bool echo, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(ProgramPaths.Dll(dll));
        foreach (string a in args) psi.ArgumentList.Add(a);
        return new ChildProcess(Process.Start(psi) ?? throw new InvalidOperationException($"{dll} did not start"), Path.GetFileNameWithoutExtension(dll), echo);
    }

    /// <summary>Runs a program to completion; returns its stdout, or throws with its stderr when it fails.</summary>
    public static string Run(string dll, params string[] args)
    {
        using ChildProcess child = Start(dll, echo: false, args);
        if (!child._process.WaitForExit(TimeSpan.FromMinutes(10))) throw new TimeoutException($"{dll} {string.Join(' ', args)} did not finish in 10 minutes.");
        child._process.WaitForExit();
        if (child._process.ExitCode != 0)
            throw new InvalidOperationException($"{dll} {string.Join(' ', args)} failed ({child._process.ExitCode}): {child.Stderr.Trim()}");
        return child.Stdout;
    }

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Characters of stderr captured so far (a mark for <see cref="StderrSince"/>).</summary>
    public int StderrLength { get { lock (_stderr) return _stderr.Length; } }

    /// <summary>What the process printed on stderr after <paramref name="mark"/> (a <see cref="StderrLength"/>).</summary>
    public string StderrSince(int mark) { lock (_stderr) return _stderr.ToString(mark, _stderr.Length - mark); }
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Waits until the process printed <paramref name="line"/> as a whole line on stderr: a word inside another line
    /// does not count ("ready" is in "address already in use", which a server that failed to start prints).
    /// </summary>
    public async Task WaitForStderrLineAsync(string line, TimeSpan timeout, CancellationToken ct)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!Stderr.Split('\n').Any(l => l.TrimEnd('\r') == line))
        {
            if (_process.HasExited) throw new InvalidOperationException($"process exited ({_process.ExitCode}) before printing the line \"{line}\": {Stderr}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no line \"{line}\" within {timeout.TotalSeconds} s: {Stderr}");
            await Task.Delay(50, ct).ConfigureAwait(false);
        }
    }

    public int Id => _process.Id;

    /// <summary>SIGKILL, no chance to clean up: what power loss or the OOM killer does (chaos trials).</summary>
    public void KillHard()
    {
        try { _process.Kill(); }
        catch (InvalidOperationException) { }
        _process.WaitForExit();
    }

    /// <summary>Asks the process to stop (SIGTERM), then kills it if it lingers past <paramref name="grace"/> (default 10 s).</summary>
    public void Stop(TimeSpan? grace = null)
    {
        if (_process.HasExited) return;
        try
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
            if (!_process.WaitForExit(grace ?? TimeSpan.FromSeconds(10))) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }
}
