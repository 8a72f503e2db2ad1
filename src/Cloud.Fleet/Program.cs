using System.CommandLine;
using EdgeSkyrmion.Cli;
using EdgeSkyrmion.Cloud.Fleet;
using EdgeSkyrmion.Cloud.Fleet.Console;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Cloud.Fleet.Tls;

var urls = new Option<string?>("--urls") { Description = "gRPC endpoints, ';'-separated (default https://127.0.0.1:5080; http:// with --insecure-plaintext)." };
var http1 = new Option<string?>("--http1-urls") { Description = "HTTP/1.1 endpoints (operator JSON API, constrained devices); default: each gRPC port + 1." };
var db = new Option<string>("--db") { Description = "SQLite fleet database file (created if missing).", DefaultValueFactory = _ => "out/fleet.db" };
var dbPostgres = new Option<string?>("--cluster", "--db-postgres")
{
    Description = "Join the fleet cluster on this PostgreSQL database (\"Host=…;Port=…;Username=…;Database=…\"): the fleet's tables and Orleans' membership, grain state and reminders live there, and every node serving it is one fleet; without it, one node on the --db file. Keys, certificates and the operator token stay beside --db (nodes share them).",
};
var tlsCert = new Option<string?>("--tls-cert") { Description = "The server's TLS certificate (PEM) instead of the one generated beside the database (with --tls-key)." };
var tlsKey = new Option<string?>("--tls-key") { Description = "The private key (PEM) of --tls-cert." };
var plaintext = new Option<bool>("--insecure-plaintext") { Description = "INSECURE: serve without TLS (tokens and updates cross the network in the clear). For measurements only." };
var requireDeviceCerts = new Option<bool>("--require-device-certificates") { Description = "Mutual TLS for devices: refuse a device that does not present the client certificate `fleet register` issued it (without this flag a presented certificate must still be the device's own)." };
var siloPort = new Option<int>("--silo-port") { Description = "The port this node's Orleans silo talks to the other nodes on (default: a free one; the cluster's database tells the others)." };
Command serve = CliCommand.Create("serve",
    "Run the fleet server (TLS on every endpoint). Example: fleet-server serve --urls https://127.0.0.1:5080 --db out/fleet.db",
    async (parse, ctx, ct) =>
    {
        bool insecure = parse.GetValue(plaintext);
        Uri[] grpc = FleetServer.ParseUrls(parse.GetValue(urls) ?? (insecure ? "http" : "https") + "://127.0.0.1:5080", "--urls");
        Uri[] plain = parse.GetValue(http1) is { } h ? FleetServer.ParseUrls(h, "--http1-urls") : [.. grpc.Select(u => new UriBuilder(u) { Port = u.Port + 1 }.Uri)];
        string database = parse.GetValue(db)!;
        WebApplication app = FleetServer.Build(new FleetServer.Options(grpc, plain, database, insecure, parse.GetValue(tlsCert), parse.GetValue(tlsKey),
            RequireDeviceCertificates: parse.GetValue(requireDeviceCerts), PostgresConnectionString: parse.GetValue(dbPostgres), SiloPort: parse.GetValue(siloPort)));
        await app.StartAsync(ct).ConfigureAwait(false);
        if (insecure) ctx.Info("WARNING: serving without TLS (--insecure-plaintext): operator and device tokens cross the network in the clear.");
        else if (parse.GetValue(tlsCert) is null) ctx.Info($"TLS with the fleet's private CA {ServerCertificate.CaPathBeside(database)}: devices pin it (edge trust --ca), the CLI with --ca" +
            (parse.GetValue(requireDeviceCerts) ? "; devices must present their client certificate (mutual TLS)" : ""));
        ctx.Info($"serving gRPC on {string.Join(", ", grpc.Select(u => u.ToString()))}, HTTP/1.1 on {string.Join(", ", plain.Select(u => u.ToString()))}, " +
            (parse.GetValue(dbPostgres) is null ? $"database {database}" : $"cluster database {app.Services.GetRequiredService<EdgeSkyrmion.Cloud.Fleet.Storage.FleetDatabase>().Where} (keys and CA beside {database})") + $"; operator token in {OperatorToken.PathBeside(database)}; OpenAPI at {plain[0].ToString().TrimEnd('/')}{FleetServer.OpenApiPath}; " +
            $"operator console at {plain[0].ToString().TrimEnd('/')}{OperatorConsole.PathPrefix}");
        ctx.Info("ready");
        await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
    });
foreach (Option o in new Option[] { urls, http1, db, dbPostgres, tlsCert, tlsKey, plaintext, requireDeviceCerts, siloPort }) serve.Options.Add(o);

var root = new RootCommand("EdgeSkyrmion fleet server: device streams, the operator API, rollouts, the fleet database.\nExample: fleet-server serve --db out/fleet.db");
root.Subcommands.Add(serve);
return await CliProgram.InvokeAsync(root, args).ConfigureAwait(false);
