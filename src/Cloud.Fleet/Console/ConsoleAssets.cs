namespace EdgeSkyrmion.Cloud.Fleet.Console;

/// <summary>
/// The console's stylesheet, its one script and its icon, embedded in the server (no web root to deploy beside it) and served
/// from the app's own origin, which is all the Content-Security-Policy allows.
/// </summary>
public static class ConsoleAssets
{
    public static void Map(WebApplication app)
    {
        Serve(app, "console.css", "text/css; charset=utf-8");
        Serve(app, "console.js", "text/javascript; charset=utf-8");
        Serve(app, "icon.svg", "image/svg+xml");
    }

    private static void Serve(WebApplication app, string name, string contentType)
    {
        byte[] bytes = Read(name);
        app.MapGet($"{OperatorConsole.PathPrefix}/assets/{name}", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            return Results.Bytes(bytes, contentType);
        });
    }

    private static byte[] Read(string name)
    {
        using Stream stream = typeof(ConsoleAssets).Assembly.GetManifestResourceStream($"EdgeSkyrmion.Cloud.Fleet.Console.Assets.{name}")
            ?? throw new InvalidOperationException($"the console asset {name} is not embedded in the server.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
