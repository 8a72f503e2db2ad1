using System.CommandLine;
using EdgeSkyrmion.Cli;
using EdgeSkyrmion.Cloud.Fleet;
using EdgeSkyrmion.Cloud.Fleet.Console;
using EdgeSkyrmion.Cloud.Fleet.Operator;

var urls = new Option<string>("--urls") { Description = "gRPC (HTTP/2 cleartext) endpoints, ';'-separated.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
var http1 = new Option<string?>("--http1-urls") { Description = "HTTP/1.1 endpoints (operator JSON API, constrained devices); default: each gRPC port + 1." };
var db = new Option<string>("--db") { Description = "SQLite fleet database file (created if missing).", DefaultValueFactory = _ => "out/fleet.db" };
Command serve = CliCommand.Create("serve",
    "Run the fleet server. Example: fleet-server serve --urls http://127.0.0.1:5080 --db out/fleet.db",
    async (parse, ctx, ct) =>
    {
        Uri[] grpc = FleetServer.ParseUrls(parse.GetValue(urls)!, "--urls");
        Uri[] plain = parse.GetValue(http1) is { } h ? FleetServer.ParseUrls(h, "--http1-urls") : [.. grpc.Select(u => new UriBuilder(u) { Port = u.Port + 1 }.Uri)];
        string database = parse.GetValue(db)!;
        WebApplication app = FleetServer.Build(new FleetServer.Options(grpc, plain, database));
        await app.StartAsync(ct).ConfigureAwait(false);
        ctx.Info($"serving gRPC on {string.Join(", ", grpc.Select(u => u.ToString()))}, HTTP/1.1 on {string.Join(", ", plain.Select(u => u.ToString()))}, " +
            $"database {database}; operator token in {OperatorToken.PathBeside(database)}; OpenAPI at {plain[0].ToString().TrimEnd('/')}{FleetServer.OpenApiPath}; " +
            $"operator console at {plain[0].ToString().TrimEnd('/')}{OperatorConsole.PathPrefix}");
        ctx.Info("ready");
        await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
    });
foreach (Option o in new Option[] { urls, http1, db }) serve.Options.Add(o);

var root = new RootCommand("EdgeSkyrmion fleet server: device streams, the operator API, rollouts, the fleet database.\nExample: fleet-server serve --db out/fleet.db");
root.Subcommands.Add(serve);
return await CliProgram.InvokeAsync(root, args).ConfigureAwait(false);
