using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace EdgeSkyrmion.Cloud.Fleet.Console;

/// <summary>
/// The operator console: Razor Pages under <see cref="PathPrefix"/> on the HTTP/1.1 port, rendered on the server
/// (plots as SVG, no script but one small file for live rollout progress), so a strict Content-Security-Policy holds.
/// Login takes the operator token once and gives an HTTP-only, SameSite=Strict cookie (Secure on HTTPS); the token
/// never travels in a URL. Every form carries an anti-forgery token (Razor Pages validate it on every POST).
/// </summary>
public static class OperatorConsole
{
    public const string PathPrefix = "/console";
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>
    /// Looking at the console and acting through it are separate policies, both met by the operator today, so a
    /// read-only role (a "viewer") is one more claim check in <see cref="Read"/>, not a change to every page.
    /// </summary>
    public const string Read = "console-read", Act = "console-act";

    public const string OperatorRole = "operator";

    private const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void Add(IServiceCollection services, byte[] operatorTokenDigest)
    {
        services.AddSingleton(new ConsoleCredential(operatorTokenDigest));
        services.AddSingleton<Storage.TelemetryHistory>();
        // Keys live in memory: a restarted server asks operators to log in again, and no key file sits beside the database.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddAuthentication(Scheme).AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "es-console";
            o.Cookie.Path = PathPrefix;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = PathPrefix + "/login";
            o.AccessDeniedPath = PathPrefix + "/login";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(Read, p => p.AddAuthenticationSchemes(Scheme).RequireRole(OperatorRole))
            .AddPolicy(Act, p => p.AddAuthenticationSchemes(Scheme).RequireRole(OperatorRole));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "es-console-af";
            o.Cookie.Path = PathPrefix;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Console/Pages";
            o.Conventions.AuthorizeFolder("/", Read);
            o.Conventions.AllowAnonymousToPage("/Login");
        });
    }

    public static void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(PathPrefix, StringComparison.Ordinal))
            {
                context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                context.Response.Headers.XContentTypeOptions = "nosniff";
                context.Response.Headers["Referrer-Policy"] = "no-referrer";
            }
            await next(context).ConfigureAwait(false);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        ConsoleAssets.Map(app);
        ConsoleEndpoints.Map(app);
    }

    /// <summary>The claims of a logged-in operator.</summary>
    public static ClaimsPrincipal Operator() =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "operator"), new Claim(ClaimTypes.Role, OperatorRole)], Scheme));

    public static Task SignInAsync(HttpContext context) =>
        context.SignInAsync(Scheme, Operator(), new AuthenticationProperties { IsPersistent = false });
}
