namespace EdgeSkyrmion.Harness.Demo;

/// <summary>Where the solution's programs are built (the demo and the tests start them as separate processes).</summary>
public static class ProgramPaths
{
    public static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "EdgeSkyrmion.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("run from a build inside the EdgeSkyrmion repository (./es ...).");
    }

    /// <summary>The program's own build output: edgeskyrmion.dll, fleet-server.dll, es-harness.dll, edge.dll or flash.dll.</summary>
    public static string Dll(string name)
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        string project = name switch
        {
            "edge.dll" => "src/Edge.Runtime/Edge.Runtime.Host",
            "edgeskyrmion.dll" => "src/Operator.Cli",
            "fleet-server.dll" => "src/Cloud.Fleet",
            "es-harness.dll" => "tools/harness",
            "flash.dll" => "tools/flash",
            _ => throw new ArgumentException($"unknown program {name}"),
        };
        string path = Path.Combine(RepositoryRoot(), project, "bin", configuration, "net10.0", name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built: run `dotnet build EdgeSkyrmion.sln -c {configuration}`.", path);
    }

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreeLoopbackPort() => FreeLoopbackPorts(1)[0];

    /// <summary>
    /// <paramref name="count"/> distinct TCP ports on 127.0.0.1 that were free a moment ago: all are held open together
    /// while they are chosen (one at a time, the OS may hand the same port out twice).
    /// </summary>
    public static int[] FreeLoopbackPorts(int count)
    {
        var listeners = new System.Net.Sockets.TcpListener[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                listeners[i] = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
                listeners[i].Start();
            }
            return [.. listeners.Select(l => ((System.Net.IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (System.Net.Sockets.TcpListener? l in listeners) l?.Dispose();
        }
    }
}
