using System.Diagnostics;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Harness.Demo;
using EdgeSkyrmion.Protos.V1;
using Microsoft.Data.Sqlite;

namespace EdgeSkyrmion.Harness.Reliability.Console;

/// <summary>
/// How fast the console's fleet page renders at fleet scale: seeds a real SQLite fleet database with N devices (a
/// mix of versions held, failed synapse devices and telemetry) through the server's own stores, starts the real
/// `fleet-server serve` on it, logs in, and times full page requests on loopback (server rendering plus the loopback
/// round trip) for the first page, a deep page, a search and a filter.
/// </summary>
public static class ConsoleBench
{
    public sealed record Timing(string Page, string Path, int Matches, double MedianMs, double P95Ms, double MaxMs, int Bytes);

    public sealed record Report(int Devices, double SeedSeconds, long DatabaseBytes, int Runs, IReadOnlyList<Timing> Pages);

    public static async Task<Report> RunAsync(string directory, int devices, int runs, Action<string> log, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        string database = Path.Combine(directory, "fleet.db");
        if (File.Exists(database)) throw new ArgumentException($"{database} already exists: give --work an empty folder.");
        var clock = Stopwatch.StartNew();
        Seed(database, devices, log);
        double seedSeconds = clock.Elapsed.TotalSeconds;
        log($"seeded {devices:N0} devices in {seedSeconds:F1} s");

        Uri grpc = CloudServerProcess.LoopbackUrl(), http1 = CloudServerProcess.LoopbackUrl();
        using ChildProcess server = await CloudServerProcess.StartAsync(grpc, http1, database, ct).ConfigureAwait(false);
        using SocketsHttpHandler handler = PinnedCa.Handler(http1, PinnedCa.Load(CloudServerProcess.CaBeside(database)));
        handler.AllowAutoRedirect = false;
        handler.UseCookies = true;
        using var http = new HttpClient(handler) { BaseAddress = http1 };
        await ConsoleLogin.LogInAsync(http, http1, File.ReadAllText(Path.ChangeExtension(database, ".operator-token")).Trim(), ct).ConfigureAwait(false);

        int last = (devices + 49) / 50;
        (string Name, string Path)[] pages =
        [
            ("first page", "/console"),
            ("middle page", $"/console?p={Math.Max(1, last / 2)}"),
            ("last page", $"/console?p={last}"),
            ("search one device", $"/console?q=wrist-{devices / 2:D6}"),
            ("filter version + health", "/console?version=2&health=degraded"),
        ];
        var timings = new List<Timing>();
        foreach ((string name, string path) in pages)
        {
            var samples = new List<double>();
            int bytes = 0, matches = 0;
            for (int i = 0; i <= runs; i++)
            {
                var watch = Stopwatch.StartNew();
                using HttpResponseMessage response = await http.GetAsync(path, ct).ConfigureAwait(false);
                string html = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                watch.Stop();
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}");
                bytes = html.Length;
                matches = int.Parse(System.Text.RegularExpressions.Regex.Match(html, "<p id=\"device-count\">([0-9,]+) devices match").Groups[1].Value.Replace(",", "", StringComparison.Ordinal),
                    System.Globalization.CultureInfo.InvariantCulture);
                // The first request warms the server (JIT, page compilation, connection pool); it is not counted.
                if (i > 0) samples.Add(watch.Elapsed.TotalMilliseconds);
            }
            samples.Sort();
            timings.Add(new Timing(name, path, matches, samples[samples.Count / 2], samples[(int)Math.Min(samples.Count - 1, Math.Ceiling(samples.Count * 0.95) - 1)], samples[^1], bytes));
            log($"{name}: median {timings[^1].MedianMs:F1} ms");
        }
        return new Report(devices, seedSeconds, new FileInfo(database).Length, runs, timings);
    }

    /// <summary>
    /// N devices through the server's schema (FleetDatabase) and stores: each registered; four in five hold a version
    /// (v1–v3), one in ten of those with failed synapse devices; each holder has reported telemetry.
    /// </summary>
    private static void Seed(string database, int devices, Action<string> log)
    {
        var db = FleetDatabase.OpenSqlite(database);
        var registry = new DeviceRegistry(db);
        for (int i = 0; i < devices; i++)
        {
            string id = $"wrist-{i:D6}";
            registry.Register(id);
            if (i % 5 == 4) continue;
            registry.Update(id, "mnist", (ulong)(i % 3 + 1), [1, 2, 3], "784-1200-1200-10", "mml4-300K");
            registry.RecordTelemetry(new Telemetry
            {
                DeviceId = id, ModelVersion = (ulong)(i % 3 + 1), FailedDevices = i % 10 == 0 ? (uint)(i % 97 + 1) : 0, TotalDevices = 3_870_400,
                TemperatureK = 300, Lifetime = new EnergyReport { ProgrammingEnergyFj = 1e9 + i * 1e3 },
            });
            if (i % 5000 == 0 && i > 0) log($"seeding: {i:N0} devices");
        }
        SqliteConnection.ClearAllPools();
    }
}
