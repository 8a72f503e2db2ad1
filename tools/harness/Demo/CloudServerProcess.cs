using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Harness.Demo;

/// <summary>`fleet-server serve` as its own process on loopback, for the demos and the chaos and load harnesses.</summary>
public static class CloudServerProcess
{
    /// <summary>
    /// Starts the server on <paramref name="database"/> and returns once it listens: TLS for https:// URLs,
    /// --insecure-plaintext for http:// (measurements); <paramref name="extra"/> options follow (e.g. --cluster).
    /// </summary>
    public static async Task<ChildProcess> StartAsync(Uri grpc, Uri http1, string database, CancellationToken ct, params string[] extra)
    {
        string[] args = ["serve", "--urls", grpc.ToString(), "--http1-urls", http1.ToString(), "--db", database, .. extra];
        ChildProcess server = ChildProcess.Start("fleet-server.dll", echo: false, grpc.Scheme == Uri.UriSchemeHttp ? [.. args, "--insecure-plaintext"] : args);
        try
        {
            await server.WaitForStderrLineAsync("ready", TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>A fresh loopback address with a free port: https unless <paramref name="tls"/> is false.</summary>
    public static Uri LoopbackUrl(bool tls = true) => LoopbackUrl(ProgramPaths.FreeLoopbackPort(), tls);

    /// <summary>The loopback address on <paramref name="port"/>: https unless <paramref name="tls"/> is false.</summary>
    public static Uri LoopbackUrl(int port, bool tls) => new($"{(tls ? "https" : "http")}://127.0.0.1:{port}");

    /// <summary>The CA certificate the server created beside <paramref name="database"/>, which devices pin.</summary>
    public static string CaBeside(string database) => Path.ChangeExtension(database, PinnedCa.FileSuffix);

    /// <summary>An operator connection to the server on <paramref name="grpc"/>, with the token it created beside <paramref name="database"/> (NAME.operator-token).</summary>
    public static OperatorConnection Operator(Uri grpc, string database) => OperatorConnection.FromTokenFile(grpc, Path.ChangeExtension(database, ".operator-token"));
}
