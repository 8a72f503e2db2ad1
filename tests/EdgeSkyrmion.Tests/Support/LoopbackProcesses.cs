using EdgeSkyrmion.Harness.Demo;
using System.Diagnostics;

namespace EdgeSkyrmion.Tests.Support;

/// <summary>Real cloud and edge processes on loopback, started from the binaries built beside the tests.</summary>
public static class LoopbackProcesses
{
    public static int FreePort() => ProgramPaths.FreeLoopbackPort();

    public sealed class Running(Process process, List<string> log) : IDisposable
    {
        public Process Process { get; } = process;

        public string Log
        {
            get { lock (log) return string.Join('\n', log); }
        }

        public bool WaitForLog(string text, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                if (Log.Contains(text, StringComparison.Ordinal)) return true;
                if (Process.HasExited) return false;
                Thread.Sleep(25);
            }
            return false;
        }

        public void Dispose()
        {
            try { if (!Process.HasExited) Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            Process.WaitForExit(5000);
            Process.Dispose();
        }
    }

    /// <summary>The program's own build output (not the copy beside the tests, whose merged dependencies differ).</summary>
    public static string Binary(string dll) => ProgramPaths.Dll(dll);

    /// <summary>Starts `dotnet DLL args…` with stdout and stderr captured line by line.</summary>
    public static Running Start(string dll, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Binary(dll));
        foreach (string a in args) psi.ArgumentList.Add(a);
        var log = new List<string>();
        Process p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.Add(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.Add(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return new Running(p, log);
    }

    /// <summary>
    /// Starts `fleet-server serve` (TLS with the CA it creates beside the database, <see cref="CaBeside"/>) and waits
    /// until it listens; returns it with its gRPC and HTTP/1.1 URLs.
    /// </summary>
    public static (Running Server, Uri Grpc, Uri Http1) StartServer(string databasePath, params string[] extra)
    {
        int grpc = FreePort(), http1 = FreePort();
        string scheme = extra.Contains("--insecure-plaintext") ? "http" : "https";
        var grpcUrl = new Uri($"{scheme}://127.0.0.1:{grpc}");
        var http1Url = new Uri($"{scheme}://127.0.0.1:{http1}");
        Running server = Start("fleet-server.dll", ["serve", "--urls", grpcUrl.ToString(), "--http1-urls", http1Url.ToString(), "--db", databasePath, .. extra]);
        if (!server.WaitForLog("ready", TimeSpan.FromSeconds(60)))
            throw new InvalidOperationException("server did not start:\n" + server.Log);
        return (server, grpcUrl, http1Url);
    }

    /// <summary>The CA certificate the server on <paramref name="databasePath"/> created (what devices and the CLI pin).</summary>
    public static string CaBeside(string databasePath) => Cloud.Fleet.Tls.ServerCertificate.CaPathBeside(databasePath);

    /// <summary>An HTTP client for the server on <paramref name="databasePath"/>, pinned to its CA.</summary>
    public static HttpClient Http(Uri baseAddress, string databasePath) =>
        new(Protos.V1.PinnedCa.Handler(baseAddress, Protos.V1.PinnedCa.Load(CaBeside(databasePath)))) { BaseAddress = baseAddress };
}
