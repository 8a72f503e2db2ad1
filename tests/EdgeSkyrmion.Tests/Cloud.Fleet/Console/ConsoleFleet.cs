using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Transport;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;
using PuppeteerSharp;

namespace EdgeSkyrmion.Tests.Fleet.ConsolePages;

/// <summary>
/// What the console's browser tests share: a real `fleet-server serve` process with its SQLite file, one real
/// wearable (`edge run`, provisioned and trusting the server's key), devices registered but offline (their rollouts
/// stay pending), two published versions, and Debian's Chromium.
/// </summary>
public sealed class ConsoleFleet : IAsyncLifetime
{
    public const string Wearable = "wrist-1", ModelId = "console-test";
    public static readonly string[] Offline = ["wrist-offline-1", "wrist-offline-2", "wrist-offline-3"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "eskt-console-" + Guid.NewGuid().ToString("N"));
    private LoopbackProcesses.Running _server = null!;

    public LoopbackProcesses.Running Edge { get; private set; } = null!;
    public OperatorConnection Ops { get; private set; } = null!;
    public Uri ConsoleUrl { get; private set; } = null!;
    public string Token { get; private set; } = "";
    public ModelImage V1 { get; } = TestImages.Random([100, 30, 10], 1, seed: 11, ModelId);
    public ModelImage V2 { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string ServerLog => _server.Log;

    /// <summary>Where the screenshots go for people to review: out/console-screenshots/ in the repository.</summary>
    public static string ScreenshotFolder => Path.Combine(Harness.Demo.ProgramPaths.RepositoryRoot(), "out", "console-screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        string db = Path.Combine(_root, "fleet.db");
        (LoopbackProcesses.Running server, Uri grpc, Uri http1) = LoopbackProcesses.StartServer(db);
        _server = server;
        ConsoleUrl = new Uri(http1, "/console");
        Token = OperatorConnection.ReadTokenFile(OperatorToken.PathBeside(db));
        Ops = OperatorConnection.FromTokenFile(grpc, OperatorToken.PathBeside(db));
        V2 = TestImages.Mutated(V1, 2, 0.02, seed: 12);
        await Ops.Client.PublishModelAsync(new PublishModelRequest { Image = V1.ToByteString() });
        await Ops.Client.PublishModelAsync(new PublishModelRequest { Image = V2.ToByteString() });
        foreach (string d in Offline) await Ops.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = d });

        RegisterDeviceResponse wearable = await Ops.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = Wearable });
        SigningKeyInfo key = await Ops.Client.GetSigningKeyAsync(new GetSigningKeyRequest());
        string state = Path.Combine(_root, "edge");
        EdgeDevice.Provision(state, Wearable, Presets.Get(Presets.Default), 2);
        new DeviceCredentials(key.PublicKeyDer.ToByteArray(), wearable.Token) { CaPem = File.ReadAllBytes(LoopbackProcesses.CaBeside(db)) }.Save(state);
        Edge = LoopbackProcesses.Start("edge.dll", "run", "--cloud", grpc.ToString(), "--device-id", Wearable, "--state", state);
        for (int i = 0; i < 600 && (await Ops.Client.GetHealthAsync(new GetHealthRequest())).ConnectedDevices == 0; i++) await Task.Delay(100);
        Directory.CreateDirectory(ScreenshotFolder);
        Browser = await SystemChromium.LaunchAsync(Cloud.Fleet.Tls.ServerCertificate.CertPathBeside(db));
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Edge?.Dispose();
        Ops?.Dispose();
        _server?.Dispose();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
