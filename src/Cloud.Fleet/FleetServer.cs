using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeSkyrmion.Cloud.Fleet.Cluster;
using EdgeSkyrmion.Cloud.Fleet.Console;
using EdgeSkyrmion.Cloud.Fleet.Tls;
using EdgeSkyrmion.Cloud.Fleet.Devices;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Cloud.Fleet.Updates;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EdgeSkyrmion.Cloud.Fleet;

/// <summary>
/// The cloud server. Every endpoint speaks TLS (<see cref="Tls.ServerCertificate"/>) and offers HTTP/1.1 and HTTP/2
/// by ALPN; only an explicit insecure-plaintext start serves cleartext, then gRPC (h2c) on the gRPC endpoints and
/// HTTP/1.1 on the others (no ALPN without TLS). The operator API is one gRPC service (operator.proto),
/// also served as JSON over HTTP by transcoding (its OpenAPI document at <see cref="OpenApiPath"/>); the HTTP/1.1
/// side carries that JSON and the constrained-device API (protobuf bodies: the same SignedUpdate and UpdateAck as
/// the stream).
/// </summary>
public static class FleetServer
{
    public const string OpenApiPath = "/swagger/v1/swagger.json";

    /// <summary>
    /// Where to listen and the database; TLS with the generated certificate unless <paramref name="TlsCertPath"/> and
    /// <paramref name="TlsKeyPath"/> name the operator's own, or <paramref name="InsecurePlaintext"/> turns it off;
    /// <paramref name="RequireDeviceCertificates"/> refuses devices without their client certificate (mutual TLS).
    /// With <paramref name="PostgresConnectionString"/> this node is one of a cluster on that PostgreSQL database: the
    /// fleet's tables and Orleans' membership, grain state and reminders live there, shared by every node; without it
    /// the node is the whole fleet, on the SQLite file <paramref name="DatabasePath"/>. The keys, certificates and token
    /// files stay beside <paramref name="DatabasePath"/> either way: nodes of one cluster share them.
    /// </summary>
    public sealed record Options(IReadOnlyList<Uri> GrpcUrls, IReadOnlyList<Uri> Http1Urls, string DatabasePath,
        bool InsecurePlaintext = false, string? TlsCertPath = null, string? TlsKeyPath = null, DeviceLimits? Limits = null,
        bool RequireDeviceCertificates = false, string? PostgresConnectionString = null, int SiloPort = 0);

    public static WebApplication Build(Options options, Action<WebApplicationBuilder>? customize = null)
    {
        if ((options.TlsCertPath is null) != (options.TlsKeyPath is null)) throw new ArgumentException("give --tls-cert and --tls-key together.");
        if (options.InsecurePlaintext && options.TlsCertPath is not null) throw new ArgumentException("--insecure-plaintext and --tls-cert exclude each other.");
        if (options.RequireDeviceCertificates && (options.InsecurePlaintext || options.TlsCertPath is not null))
            throw new ArgumentException("--require-device-certificates needs the fleet's generated CA (its key issues device certificates): it cannot be used with --tls-cert or --insecure-plaintext.");
        foreach (Uri url in options.GrpcUrls.Concat(options.Http1Urls))
            if (url.Scheme != (options.InsecurePlaintext ? Uri.UriSchemeHttp : Uri.UriSchemeHttps))
                throw new ArgumentException(options.InsecurePlaintext ? $"{url}: a plaintext server listens on http:// URLs." : $"{url}: the server speaks TLS, so its URLs are https:// (plaintext only with --insecure-plaintext).");
        X509Certificate2? certificate = options.InsecurePlaintext ? null
            : options.TlsCertPath is { } cert ? ServerCertificate.Load(cert, options.TlsKeyPath!) : ServerCertificate.LoadOrCreate(options.DatabasePath);
        DeviceLimits limits = options.Limits ?? new DeviceLimits();
        FleetDatabase db = options.PostgresConnectionString is { } postgres ? FleetDatabase.OpenPostgres(postgres) : FleetDatabase.OpenSqlite(options.DatabasePath);
        var deviceCertificates = new DeviceCertificates(db, certificate is not null && options.TlsCertPath is null ? ServerCertificate.LoadCa(options.DatabasePath) : null,
            options.RequireDeviceCertificates);
        var keys = new KeyRing(db, options.DatabasePath);
        var operators = new OperatorStore(db, OperatorToken.Digest(OperatorToken.LoadOrCreate(OperatorToken.PathBeside(options.DatabasePath))));
        var identity = new ServerIdentity(Environment.MachineName + ":" + Environment.ProcessId);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.ConfigureKestrel(k =>
        {
            // Kestrel's default of 100 streams per connection silently queues larger fleets behind one client.
            k.Limits.Http2.MaxStreamsPerConnection = 100_000;
            k.Limits.MaxRequestBodySize = 512L * 1024 * 1024;
            foreach (Uri url in options.GrpcUrls) Listen(k, url, certificate, deviceCertificates, HttpProtocols.Http2);
            foreach (Uri url in options.Http1Urls) Listen(k, url, certificate, deviceCertificates, HttpProtocols.Http1);
        });
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = 64 * 1024 * 1024;
            o.MaxSendMessageSize = 64 * 1024 * 1024;
        }).AddServiceOptions<OperatorService>(o => o.Interceptors.Add<OperatorAudit>())
        .AddServiceOptions<FleetService>(o => o.MaxReceiveMessageSize = limits.MaxMessageBytes).AddJsonTranscoding(o =>
        {
            // uint64 versions and energies past 2^53 would lose digits in JavaScript.
            o.JsonSettings.WriteInt64sAsStrings = true;
            o.JsonSettings.WriteIndented = true;
        });
        // The slim builder leaves out the regex route constraint that Swashbuckle's route template uses.
        builder.Services.Configure<RouteOptions>(o => o.SetParameterPolicy<Microsoft.AspNetCore.Routing.Constraints.RegexInlineRouteConstraint>("regex"));
        builder.Services.AddGrpcSwagger();
        builder.Services.AddSwaggerGen(o => o.SwaggerDoc("v1", new Microsoft.OpenApi.Models.OpenApiInfo
        {
            Title = "EdgeSkyrmion operator API", Version = "v1",
            Description = "Devices, model versions, rollouts and users of an EdgeSkyrmion fleet (operator.proto). Every call needs `Authorization: Bearer <operator token>`; a viewer's token may only read, an admin's may change.",
        }));
        // Through a factory, so the container disposes it with the app (closing a PostgreSQL pool; nothing for SQLite).
        builder.Services.AddSingleton(_ => db);
        builder.Services.AddSingleton(identity);
        builder.Services.AddSingleton(keys);
        builder.Services.AddSingleton(deviceCertificates);
        builder.Services.AddSingleton(operators);
        builder.Services.AddSingleton(limits);
        builder.Services.AddRateLimiter(limits.Configure);
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<ModelCatalog>();
        builder.Services.AddSingleton<DeviceRegistry>();
        builder.Services.AddSingleton<RolloutStore>();
        builder.Services.AddSingleton<UpdateLog>();
        builder.Services.AddSingleton<UpdateBuilder>();
        builder.Services.AddSingleton<GroupCommit>();
        builder.Services.AddSingleton<FleetHub>();
        builder.Services.AddHostedService<NodePresence>();
        builder.Services.AddSingleton<RolloutControl>();
        FleetCluster.Add(builder, db, new FleetCluster.Options(options.PostgresConnectionString, options.SiloPort,
            Reserved: [.. options.GrpcUrls.Concat(options.Http1Urls).Select(u => u.Port)]));
        OperatorConsole.Add(builder, options.DatabasePath);
        customize?.Invoke(builder);

        WebApplication app = builder.Build();
        app.UseRateLimiter();
        OperatorAuthentication.Use(app, operators);
        app.UseSwagger();
        app.MapGrpcService<FleetService>();
        app.MapGrpcService<OperatorService>();
        ConstrainedDeviceApi.Map(app);
        OperatorConsole.Map(app);
        // Rollouts keep themselves going by their grains' reminders; a staged one stored before reminders existed gets its reminder now.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            RolloutControl control = app.Services.GetRequiredService<RolloutControl>();
            foreach (string rollout in app.Services.GetRequiredService<RolloutStore>().Staged()) control.Drive(rollout, g => g.Start());
        });
        return app;
    }

    /// <summary>
    /// With TLS an endpoint offers both protocols (ALPN picks) and accepts, without requiring, a client certificate
    /// the fleet's CA issued (devices' mutual TLS; operators and browsers present none); cleartext, the one it is for.
    /// </summary>
    private static void Listen(KestrelServerOptions k, Uri url, X509Certificate2? certificate, DeviceCertificates deviceCertificates, HttpProtocols cleartext)
    {
        System.Net.IPAddress address = url.Host == "localhost" ? System.Net.IPAddress.Loopback
            : System.Net.IPAddress.TryParse(url.Host, out System.Net.IPAddress? ip) ? ip : throw new ArgumentException($"{url}: give an IP address (or localhost) to listen on.");
        k.Listen(address, url.Port, l =>
        {
            if (certificate is null)
            {
                l.Protocols = cleartext;
                return;
            }
            l.Protocols = HttpProtocols.Http1AndHttp2;
            l.UseHttps(new Microsoft.AspNetCore.Server.Kestrel.Https.HttpsConnectionAdapterOptions
            {
                ServerCertificate = certificate,
                ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate,
                ClientCertificateValidation = (presented, _, _) => deviceCertificates.Chains(presented),
            });
        });
    }

    /// <summary>';'-separated absolute URLs with ports; anything else is bad input naming <paramref name="option"/>.</summary>
    public static Uri[] ParseUrls(string text, string option) =>
        [.. text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u =>
            Uri.TryCreate(u, UriKind.Absolute, out Uri? uri) && uri.Port > 0 ? uri : throw new ArgumentException($"{option}: {u} is not an absolute URL with a port."))];
}
