using System.Net;
using System.Net.Sockets;
using EdgeSkyrmion.Harness.Demo;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Reliability;

/// <summary>
/// The harness's `serve` starter: a server that failed to start must fail the start, even though its error
/// ("address already in use") contains the word the harness waits for ("ready"). Taken for ready, such a node once
/// left a chaos run with one node fewer than it reported.
/// </summary>
[Collection(RealProcessCollection.Name)]
public sealed class CloudServerProcessTests
{
    [Fact]
    public async Task AServerWhosePortIsTakenFailsToStartInsteadOfReadingAsReady()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        int port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        string db = Path.Combine(Path.GetTempPath(), $"eskt-taken-{Guid.NewGuid():N}", "fleet.db");
        Directory.CreateDirectory(Path.GetDirectoryName(db)!);
        try
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                CloudServerProcess.StartAsync(CloudServerProcess.LoopbackUrl(port, tls: true), CloudServerProcess.LoopbackUrl(), db, default));
            Assert.Contains("address already in use", e.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains($"127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(db)!, recursive: true);
        }
    }
}
