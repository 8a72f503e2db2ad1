using System.Net;
using EdgeSkyrmion.Cloud.Fleet.Console;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Harness.Reliability.Console;
using EdgeSkyrmion.Protos.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSkyrmion.Tests.Fleet.ConsolePages;

/// <summary>
/// The console's protections as HTTP sees them (the real server in memory): the session cookie is HTTP-only,
/// SameSite=Strict and scoped to /console; every page carries the Content-Security-Policy; a form posted without its
/// anti-forgery token is refused and changes nothing; the operator API's bearer token does not open the console.
/// </summary>
public sealed class ConsoleSecurityTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        (_app, _http, _token) = await Support.InMemoryFleet.StartAsync(asOperator: false);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    /// <summary>GETs the login page, posts the token with the form's anti-forgery field; returns the cookies to send after.</summary>
    private async Task<(HttpResponseMessage Response, string Cookies)> LogInAsync(string token)
    {
        HttpResponseMessage form = await _http.GetAsync("/console/login");
        string cookies = Cookies(form, "");
        string field = ConsoleLogin.AntiforgeryToken(await form.Content.ReadAsStringAsync());
        using var post = new HttpRequestMessage(HttpMethod.Post, "/console/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Token"] = token, ["__RequestVerificationToken"] = field }),
        };
        post.Headers.Add("Cookie", cookies);
        HttpResponseMessage response = await _http.SendAsync(post);
        return (response, Cookies(response, cookies));
    }

    private static string Cookies(HttpResponseMessage response, string before) =>
        string.Join("; ", before.Split("; ", StringSplitOptions.RemoveEmptyEntries)
            .Concat(response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? set) ? set.Select(c => c.Split(';')[0]) : []));

    [Fact]
    public async Task TheSessionCookieIsHttpOnlyStrictAndScopedAndEveryPageCarriesTheCsp()
    {
        (HttpResponseMessage login, string cookies) = await LogInAsync(_token);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        string session = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("es-console=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/console", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(_token, login.Headers.Location!.ToString());

        foreach (string path in new[] { "/console", "/console/models", "/console/rollouts", "/console/users", "/console/energy", "/console/login" })
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, path);
            get.Headers.Add("Cookie", cookies);
            HttpResponseMessage page = await _http.SendAsync(get);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            string csp = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", csp);
            Assert.Contains("default-src 'none'", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            string html = await page.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<script>", html);
            Assert.DoesNotContain(" style=", html);
            Assert.DoesNotContain(_token, html);
        }
    }

    [Fact]
    public async Task AFormWithoutItsAntiforgeryTokenIsRefusedAndStoresNothing()
    {
        ModelImage v1 = Support.TestImages.Random([20, 8, 10], 1, seed: 4, "af");
        _app.Services.GetRequiredService<ModelCatalog>().Publish(v1);
        _app.Services.GetRequiredService<DeviceRegistry>().Register("wrist-af");
        (_, string cookies) = await LogInAsync(_token);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/console/rollouts")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Target"] = "af@1", ["DeviceIds"] = "wrist-af" }),
        };
        post.Headers.Add("Cookie", cookies);
        HttpResponseMessage refused = await _http.SendAsync(post);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Empty(_app.Services.GetRequiredService<RolloutStore>().List());
    }

    [Fact]
    public async Task AWrongTokenOrTheApiBearerHeaderDoesNotOpenTheConsole()
    {
        (HttpResponseMessage wrong, string cookies) = await LogInAsync("not-the-token");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("That is not an operator token.", await wrong.Content.ReadAsStringAsync());
        Assert.DoesNotContain("es-console=", cookies);

        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/console/energy.csv");
        bearer.Headers.Authorization = new("Bearer", _token);
        HttpResponseMessage redirected = await _http.SendAsync(bearer);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.StartsWith("/console/login", redirected.Headers.Location!.PathAndQuery);
        Assert.Equal(OperatorConsole.PathPrefix + "/login", redirected.Headers.Location.AbsolutePath);
    }

    [Fact]
    public async Task AViewerSeesThePagesWithoutTheirFormsAndAPostedRolloutIsRefusedStoresNothingAndIsAudited()
    {
        ModelImage v1 = Support.TestImages.Random([20, 8, 10], 1, seed: 5, "vw");
        _app.Services.GetRequiredService<ModelCatalog>().Publish(v1);
        _app.Services.GetRequiredService<DeviceRegistry>().Register("wrist-vw");
        string viewerToken = _app.Services.GetRequiredService<OperatorStore>().Add("vera", OperatorRoles.Viewer);
        (HttpResponseMessage login, string cookies) = await LogInAsync(viewerToken);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        using var get = new HttpRequestMessage(HttpMethod.Get, "/console/rollouts");
        get.Headers.Add("Cookie", cookies);
        HttpResponseMessage page = await _http.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("id=\"viewer-note\"", html);
        Assert.DoesNotContain("id=\"start-rollout\"", html);
        Assert.Contains("vera (viewer)", html);

        // The log-out form still carries a valid anti-forgery field, so the refusal below is the role's, not the form's.
        using var post = new HttpRequestMessage(HttpMethod.Post, "/console/rollouts")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Target"] = "vw@1", ["DeviceIds"] = "wrist-vw", ["__RequestVerificationToken"] = ConsoleLogin.AntiforgeryToken(html),
            }),
        };
        post.Headers.Add("Cookie", cookies);
        HttpResponseMessage refused = await _http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal(OperatorConsole.PathPrefix + "/login", refused.Headers.Location!.AbsolutePath);
        Assert.Empty(_app.Services.GetRequiredService<RolloutStore>().List());
        AuditLog.Entry entry = Assert.Single(_app.Services.GetRequiredService<AuditLog>().Read(0, 100));
        Assert.Equal(("vera", "viewer", "console Rollouts", "refused: not an admin"), (entry.Operator, entry.Role, entry.Action, entry.Outcome));
        Assert.Contains("Target=vw@1", entry.Target);
        Assert.DoesNotContain("__RequestVerificationToken", entry.Target);
    }

    [Fact]
    public async Task AnAdminsRolloutStartedFromThePageIsStoredAndAuditedWithWhoAndWhat()
    {
        ModelImage v1 = Support.TestImages.Random([20, 8, 10], 1, seed: 6, "ad");
        _app.Services.GetRequiredService<ModelCatalog>().Publish(v1);
        _app.Services.GetRequiredService<DeviceRegistry>().Register("wrist-ad");
        (_, string cookies) = await LogInAsync(_token);
        using var get = new HttpRequestMessage(HttpMethod.Get, "/console/rollouts");
        get.Headers.Add("Cookie", cookies);
        string html = await (await _http.SendAsync(get)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("id=\"viewer-note\"", html);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/console/rollouts")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Target"] = "ad@1", ["DeviceIds"] = "wrist-ad", ["__RequestVerificationToken"] = ConsoleLogin.AntiforgeryToken(html),
            }),
        };
        post.Headers.Add("Cookie", cookies);
        HttpResponseMessage started = await _http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        RolloutStore.Summary rollout = Assert.Single(_app.Services.GetRequiredService<RolloutStore>().List());
        Assert.Equal(OperatorConsole.PathPrefix + "/rollouts/" + rollout.RolloutId, started.Headers.Location!.OriginalString);
        AuditLog.Entry entry = Assert.Single(_app.Services.GetRequiredService<AuditLog>().Read(0, 100));
        Assert.Equal((OperatorStore.FirstAdmin, "admin", "console Rollouts", "done"), (entry.Operator, entry.Role, entry.Action, entry.Outcome));
        Assert.Contains("DeviceIds=wrist-ad", entry.Target);
    }
}
