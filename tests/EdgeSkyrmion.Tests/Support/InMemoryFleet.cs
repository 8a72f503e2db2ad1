using EdgeSkyrmion.Cloud.Fleet;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Protos.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace EdgeSkyrmion.Tests.Support;

/// <summary>
/// The real fleet server (FleetServer.Build, every service and middleware) hosted in memory on a fresh database file,
/// for tests of the operator API and the console as HTTP sees them. The client carries the first admin's bearer token
/// when <paramref name="asOperator"/> is set; the token is returned either way. With <paramref name="postgres"/> the
/// fleet's tables live in that PostgreSQL database instead of the file; with <paramref name="logs"/> the server's log
/// lines also go there.
/// </summary>
public static class InMemoryFleet
{
    public static async Task<(WebApplication App, HttpClient Http, string OperatorToken)> StartAsync(bool asOperator = true, string? postgres = null, ILoggerProvider? logs = null)
    {
        string db = Path.Combine(Path.GetTempPath(), $"fleet-{Guid.NewGuid():N}", "fleet.db");
        WebApplication app = FleetServer.Build(new FleetServer.Options([], [], db, PostgresConnectionString: postgres), b =>
        {
            b.WebHost.UseTestServer();
            if (logs is not null) b.Logging.AddProvider(logs);
        });
        await app.StartAsync();
        HttpClient http = app.GetTestServer().CreateClient();
        string token = OperatorConnection.ReadTokenFile(OperatorToken.PathBeside(db));
        if (asOperator) http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return (app, http, token);
    }
}
