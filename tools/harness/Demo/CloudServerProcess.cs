using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Harness.Demo;

/// <summary>`fleet-server serve` as its own process on loopback, for the demos and the chaos and load harnesses.</summary>
public static class CloudServerProcess
{
    /// <summary>Starts the server on <paramref name="database"/> and returns once it listens.</summary>
    public static async Task<ChildProcess> StartAsync(Uri grpc, Uri http1, string database, CancellationToken ct)
    {
        ChildProcess server = ChildProcess.Start("fleet-server.dll", echo: false, "serve", "--urls", grpc.ToString(), "--http1-urls", http1.ToString(), "--db", database);
        try
        {
            await server.WaitForStderrAsync("ready", TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>A fresh loopback address with a free port.</summary>
    public static Uri LoopbackUrl() => new($"http://127.0.0.1:{ProgramPaths.FreeLoopbackPort()}");

    /// <summary>An operator connection to the server on <paramref name="grpc"/>, with the token it created beside <paramref name="database"/> (NAME.operator-token).</summary>
    public static OperatorConnection Operator(Uri grpc, string database) => OperatorConnection.FromTokenFile(grpc, Path.ChangeExtension(database, ".operator-token"));
}
