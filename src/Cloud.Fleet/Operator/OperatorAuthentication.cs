namespace EdgeSkyrmion.Cloud.Fleet.Operator;

/// <summary>
/// Requires an operator's bearer token on every request under /api (the JSON routes, including routes added later)
/// and on every gRPC call of the Operator service, and logs each refusal with its reason and the caller's address.
/// The operator it belongs to becomes the request's user (name and role, <see cref="OperatorRoles"/>); what a role
/// may call is decided per method by <see cref="OperatorAudit"/>. Device endpoints (/v1, the Fleet stream)
/// authenticate devices themselves.
/// </summary>
public static class OperatorAuthentication
{
    public const string PathPrefix = "/api";

    /// <summary>gRPC routes of the operator contract: /{package}.{service}/{method}.</summary>
    public static readonly string GrpcPathPrefix = "/" + Protos.V1.Operator.Descriptor.FullName;

    public static void Use(WebApplication app, OperatorStore operators)
    {
        ILogger log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeSkyrmion.Auth");
        app.Use(async (context, next) =>
        {
            bool grpc = context.Request.Path.StartsWithSegments(GrpcPathPrefix, StringComparison.Ordinal);
            if (!grpc && !context.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase))
            {
                await next(context).ConfigureAwait(false);
                return;
            }
            string header = context.Request.Headers.Authorization.ToString();
            OperatorStore.Operator? who = header.StartsWith("Bearer ", StringComparison.Ordinal) ? operators.Authenticate(header["Bearer ".Length..].Trim()) : null;
            string? reason = !header.StartsWith("Bearer ", StringComparison.Ordinal) ? "no operator bearer token"
                : who is null ? "wrong operator token"
                : null;
            if (who is not null)
            {
                context.User = OperatorRoles.Principal(who.Name, who.Role);
                await next(context).ConfigureAwait(false);
                return;
            }
            log.LogWarning("rejected {Method} {Path} from {Remote}: {Reason}", context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress, reason);
            if (grpc)
            {
                // A trailers-only gRPC response: the client sees UNAUTHENTICATED with the reason.
                context.Response.ContentType = "application/grpc";
                context.Response.Headers["grpc-status"] = ((int)Grpc.Core.StatusCode.Unauthenticated).ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.Response.Headers["grpc-message"] = Uri.EscapeDataString($"unauthorized: {reason}");
                return;
            }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await context.Response.WriteAsJsonAsync(new { error = $"unauthorized: {reason}" }).ConfigureAwait(false);
        });
    }
}
