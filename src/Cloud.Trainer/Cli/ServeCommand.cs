using System.CommandLine;
using EdgeSkyrmion.Cloud.Fleet;

namespace EdgeSkyrmion.Cloud.Cli;

/// <summary>`serve`: the cloud update server (gRPC h2c + HTTP/1.1) on a SQLite fleet database.</summary>
public static class ServeCommand
{
    public static Command Build()
    {
        var urls = new Option<string>("--urls") { Description = "gRPC (HTTP/2 cleartext) endpoints, ';'-separated.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var http1 = new Option<string?>("--http1-urls") { Description = "HTTP/1.1 endpoints (operator API, constrained devices); default: each gRPC port + 1." };
        var db = new Option<string>("--db") { Description = "SQLite fleet database file (created if missing).", DefaultValueFactory = _ => "out/fleet.db" };
        Command command = CliCommand.Create("serve",
            "Run the cloud update server. Example: serve --urls http://127.0.0.1:5080 --db out/fleet.db",
            async (parse, ctx, ct) =>
            {
                Uri[] grpc = ParseUrls(parse.GetValue(urls)!);
                Uri[] plain = parse.GetValue(http1) is { } h ? ParseUrls(h) : [.. grpc.Select(u => new UriBuilder(u) { Port = u.Port + 1 }.Uri)];
                WebApplication app = FleetServer.Build(new FleetServer.Options(grpc, plain, parse.GetValue(db)!));
                await app.StartAsync(ct).ConfigureAwait(false);
                ctx.Info($"serving gRPC on {string.Join(", ", grpc.Select(u => u.ToString()))}, HTTP/1.1 on {string.Join(", ", plain.Select(u => u.ToString()))}, database {parse.GetValue(db)}; operator token in {OperatorToken.PathBeside(parse.GetValue(db)!)}");
                Console.Error.WriteLine("ready");
                await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
            });
        foreach (Option o in new Option[] { urls, http1, db }) command.Options.Add(o);
        return command;
    }

    internal static Uri[] ParseUrls(string text) =>
        [.. text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u =>
            Uri.TryCreate(u, UriKind.Absolute, out Uri? uri) && uri.Port > 0 ? uri : throw new ArgumentException($"--urls: {u} is not an absolute URL with a port."))];
}
