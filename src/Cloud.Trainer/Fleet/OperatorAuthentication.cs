namespace EdgeSkyrmion.Cloud.Fleet;

/// <summary>
/// Requires the operator's bearer token on every request under /api — including routes added later — and logs each
/// refusal with its reason and the caller's address. Device endpoints (/v1, gRPC) authenticate devices themselves.
/// </summary>
public static class OperatorAuthentication
{
    public const string PathPrefix = "/api";

    public static void Use(WebApplication app, byte[] tokenDigest)
    {
        ILogger log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeSkyrmion.Auth");
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase))
            {
                await next(context).ConfigureAwait(false);
                return;
            }
            string header = context.Request.Headers.Authorization.ToString();
            string? reason = !header.StartsWith("Bearer ", StringComparison.Ordinal) ? "no operator bearer token"
                : !OperatorToken.Matches(tokenDigest, header["Bearer ".Length..].Trim()) ? "wrong operator token"
                : null;
            if (reason is null)
            {
                await next(context).ConfigureAwait(false);
                return;
            }
            log.LogWarning("rejected {Method} {Path} from {Remote}: {Reason}", context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress, reason);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await context.Response.WriteAsJsonAsync(new { error = $"unauthorized: {reason}" }).ConfigureAwait(false);
        });
    }
}
