using System.Security.Cryptography;
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
/// The cloud server: gRPC (h2c) on the gRPC endpoints and plain HTTP/1.1 on the others — cleartext Kestrel cannot
/// offer both protocols on one port (no ALPN without TLS). The operator API is one gRPC service (operator.proto),
/// also served as JSON over HTTP by transcoding (its OpenAPI document at <see cref="OpenApiPath"/>); the HTTP/1.1
/// side carries that JSON and the constrained-device API (protobuf bodies: the same SignedUpdate and UpdateAck as
/// the stream).
/// </summary>
public static class FleetServer
{
    public const string OpenApiPath = "/swagger/v1/swagger.json";

    public sealed record Options(IReadOnlyList<Uri> GrpcUrls, IReadOnlyList<Uri> Http1Urls, string DatabasePath);

    public static WebApplication Build(Options options, Action<WebApplicationBuilder>? customize = null)
    {
        var db = new FleetDatabase(options.DatabasePath);
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
            foreach (Uri url in options.GrpcUrls) Listen(k, url, HttpProtocols.Http2);
            foreach (Uri url in options.Http1Urls) Listen(k, url, HttpProtocols.Http1);
        });
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = 64 * 1024 * 1024;
            o.MaxSendMessageSize = 64 * 1024 * 1024;
        }).AddServiceOptions<OperatorService>(o => o.Interceptors.Add<OperatorAudit>()).AddJsonTranscoding(o =>
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
        builder.Services.AddSingleton(db);
        builder.Services.AddSingleton(identity);
        builder.Services.AddSingleton(keys);
        builder.Services.AddSingleton(operators);
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<ModelCatalog>();
        builder.Services.AddSingleton<DeviceRegistry>();
        builder.Services.AddSingleton<RolloutStore>();
        builder.Services.AddSingleton<UpdateLog>();
        builder.Services.AddSingleton<UpdateBuilder>();
        builder.Services.AddSingleton<FleetHub>();
        customize?.Invoke(builder);

        WebApplication app = builder.Build();
        OperatorAuthentication.Use(app, operators);
        app.UseSwagger();
        app.MapGrpcService<FleetService>();
        app.MapGrpcService<OperatorService>();
        ConstrainedDeviceApi.Map(app);
        return app;
    }

    private static void Listen(KestrelServerOptions k, Uri url, HttpProtocols protocols)
    {
        if (url.Scheme != Uri.UriSchemeHttp) throw new ArgumentException($"{url}: only http:// (cleartext, loopback) endpoints are supported.");
        System.Net.IPAddress address = url.Host == "localhost" ? System.Net.IPAddress.Loopback : System.Net.IPAddress.Parse(url.Host);
        k.Listen(address, url.Port, l => l.Protocols = protocols);
    }

    /// <summary>';'-separated absolute http:// URLs with ports; anything else is bad input naming <paramref name="option"/>.</summary>
    public static Uri[] ParseUrls(string text, string option) =>
        [.. text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u =>
            Uri.TryCreate(u, UriKind.Absolute, out Uri? uri) && uri.Port > 0 ? uri : throw new ArgumentException($"{option}: {u} is not an absolute URL with a port."))];
}
