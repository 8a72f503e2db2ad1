using System.Diagnostics;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Cloud.Fleet.Updates;
using EdgeSkyrmion.Harness.Reliability;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Harness.Cluster;

/// <summary>
/// The fleet's per-device work before a push, <see cref="UpdateBuilder.Build"/>, on the paper's 784-1200-1200-10
/// network (2.4 million synapse pairs, a 4.8 MB image) published twice in a fresh SQLite file (v2 changes 1 % of the
/// synapses): for a device holding v1 (a signed delta) and one holding nothing (the signed full image), both reporting
/// a temperature, as wearables do. The first build of each (which reads the catalog and plans the pair) is reported
/// apart from the mean of the rest, in wall time and in this process's CPU time.
/// </summary>
public static class UpdateBuildBench
{
    public sealed record Case(string Kind, int SignedBytes, double FirstBuildMs, double MeanBuildMs, double CpuMsPerBuild);

    public sealed record Report(string Network, double TemperatureK, int Builds, IReadOnlyList<Case> Cases);

    private static readonly int[] Sizes = [784, 1200, 1200, 10];

    public static Report Run(int builds, double temperatureK, string folder)
    {
        string path = Path.Combine(folder, "fleet.db");
        using FleetDatabase db = FleetDatabase.OpenSqlite(path);
        var catalog = new ModelCatalog(db);
        var builder = new UpdateBuilder(catalog, new KeyRing(db, path));
        ModelImage v1 = RandomImages.Random(Sizes, 1, seed: 1, modelId: "paper");
        ModelImage v2 = RandomImages.Mutated(v1, 2, fraction: 0.01, seed: 2);
        catalog.Publish(v1);
        catalog.Publish(v2);
        var registry = new DeviceRegistry(db);
        foreach (string id in new[] { "holder", "fresh" })
        {
            registry.Register(id);
            registry.RecordTelemetry(new Telemetry { DeviceId = id, TemperatureK = temperatureK, TotalDevices = 1 });
        }
        registry.Update("holder", v1.ModelId, v1.Version, DeltaCodec.Digest(v1), ModelCatalog.Shape(v1), v1.PresetName);
        var cases = new List<Case>();
        foreach (string id in new[] { "holder", "fresh" })
        {
            DeviceRegistry.Device device = registry.Find(id)!;
            var clock = Stopwatch.StartNew();
            UpdateBuilder.Built first = builder.Build(device, catalog.Get(v2.ModelId, v2.Version));
            double firstMs = clock.Elapsed.TotalMilliseconds;
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Restart();
            for (int i = 0; i < builds; i++) builder.Build(device, catalog.Get(v2.ModelId, v2.Version));
            double wallMs = clock.Elapsed.TotalMilliseconds;
            double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            cases.Add(new Case(first.Kind == UpdateKind.Delta ? "delta" : "full_image", first.Bytes.Length, firstMs, wallMs / builds, cpuMs / builds));
        }
        return new Report(string.Join("-", Sizes), temperatureK, builds, cases);
    }
}
