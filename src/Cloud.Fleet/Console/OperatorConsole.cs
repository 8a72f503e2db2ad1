using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using Microsoft.AspNetCore.DataProtection;

namespace EdgeSkyrmion.Cloud.Fleet.Console;

/// <summary>
/// The operator console: Razor Pages under <see cref="PathPrefix"/> on the HTTP/1.1 port, rendered on the server
/// (plots as SVG, no script but one small file for live rollout progress), so a strict Content-Security-Policy holds.
/// Login takes an operator's token once (the operator API's credentials and roles, <see cref="OperatorStore"/>) and gives
/// an HTTP-only, SameSite=Strict cookie (Secure on HTTPS) carrying the operator's name and role; the token never travels
/// in a URL. Every form carries an anti-forgery token (Razor Pages validate it on every POST), and every action taken
/// through a form is written to the audit log like an operator API call (<see cref="ConsoleAudit"/>).
/// </summary>
public static class OperatorConsole
{
    public const string PathPrefix = "/console";
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>Looking at the console needs any operator role; acting through it, the admin role (as in the operator API).</summary>
    public const string Read = "console-read", Act = "console-act";

    private const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Where the cookie and anti-forgery keys live: a folder beside the database, owner-only like the operator token.</summary>
    public static string KeyFolderBeside(string databasePath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, Path.GetFileNameWithoutExtension(databasePath) + ".console-keys");

    public static void Add(WebApplicationBuilder builder, string databasePath)
    {
        IServiceCollection services = builder.Services;
        services.AddSingleton<Storage.TelemetryHistory>();
        // Keys persist beside the database, so a restarted server keeps operators logged in. The folder is owner-only;
        // Linux has no key encryptor, of which the data-protection stack warns at every start: that warning is muted.
        var keys = Directory.CreateDirectory(KeyFolderBeside(databasePath));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keys.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        services.AddDataProtection().PersistKeysToFileSystem(keys).SetApplicationName("edgeskyrmion-console");
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);
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
            .AddPolicy(Read, p => p.AddAuthenticationSchemes(Scheme).RequireRole(OperatorRoles.Admin, OperatorRoles.Viewer))
            .AddPolicy(Act, p => p.AddAuthenticationSchemes(Scheme).RequireRole(OperatorRoles.Admin));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "es-console-af";
            o.Cookie.Path = PathPrefix;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // The pages are found in this assembly by name, not as the entry assembly's parts: hosted in a test or another
        // program, the server still has its console.
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Console/Pages";
            o.Conventions.AuthorizeFolder("/", Read);
            o.Conventions.AllowAnonymousToPage("/Login");
        }).AddMvcOptions(o => o.Filters.Add<ConsoleAudit>()).AddApplicationPart(typeof(OperatorConsole).Assembly);
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

    /// <summary>Signs the operator in: the cookie carries their name and role.</summary>
    public static Task SignInAsync(HttpContext context, OperatorStore.Operator who) =>
        context.SignInAsync(Scheme, new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, who.Name), new Claim(ClaimTypes.Role, who.Role)], Scheme)),
            new AuthenticationProperties { IsPersistent = false });
}
