using PuppeteerSharp;

namespace EdgeSkyrmion.Tests.Fleet.ConsolePages;

/// <summary>
/// One test's browser session: its own incognito context (own cookies) and page, every console error, page error
/// and failed request it saw (a test fails on any), and helpers to log in, click through and take screenshots.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    /// <summary>The sizes every page is photographed at: a phone and a laptop.</summary>
    public static readonly (string Name, int Width, int Height)[] Sizes = [("phone", 390, 844), ("laptop", 1366, 900)];

    private readonly ConsoleFleet _fleet;
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    public IPage Page { get; }

    private ConsoleBrowser(ConsoleFleet fleet, IBrowserContext context, IPage page)
    {
        _fleet = fleet;
        _context = context;
        Page = page;
        page.Console += (_, e) => { if (e.Message.Type == ConsoleType.Error) lock (_errors) _errors.Add($"console: {e.Message.Text} ({e.Message.Location?.URL})"); };
        page.PageError += (_, e) => { lock (_errors) _errors.Add($"page error: {e.Message}"); };
        page.RequestFailed += (_, e) =>
        {
            // An event stream the page closes itself (navigating away) ends as an aborted request; that is not an error.
            if (e.Request.Url.EndsWith("/events", StringComparison.Ordinal) && e.Request.FailureText == "net::ERR_ABORTED") return;
            lock (_errors) _errors.Add($"request failed: {e.Request.Url} {e.Request.FailureText}");
        };
    }

    public static async Task<ConsoleBrowser> OpenAsync(ConsoleFleet fleet)
    {
        IBrowserContext context = await fleet.Browser.CreateBrowserContextAsync();
        IPage page = await context.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1366, Height = 900 });
        page.DefaultTimeout = 60_000;
        return new ConsoleBrowser(fleet, context, page);
    }

    public string Url(string path) => new Uri(_fleet.ConsoleUrl, path).ToString();

    public async Task<IResponse> GoAsync(string path)
    {
        IResponse response = await Page.GoToAsync(Url(path), WaitUntilNavigation.Load);
        return response;
    }

    /// <summary>Opens the console, lands on the login page and logs in with <paramref name="token"/> (the operator's by default).</summary>
    public async Task LogInAsync(string? token = null)
    {
        await GoAsync("/console");
        Assert.EndsWith("/console/login?ReturnUrl=%2Fconsole", Page.Url);
        await Page.TypeAsync("#token", token ?? _fleet.Token);
        await SubmitAsync("form.card button[type=submit]");
    }

    /// <summary>Clicks a submit button and waits for the page it leads to.</summary>
    public async Task SubmitAsync(string selector)
    {
        Task<IResponse> navigation = Page.WaitForNavigationAsync();
        await Page.ClickAsync(selector);
        await navigation;
    }

    public Task<string> TextAsync(string selector) => Page.EvaluateFunctionAsync<string>("s => document.querySelector(s)?.textContent?.trim() ?? ''", selector);

    public Task<int> CountAsync(string selector) => Page.EvaluateFunctionAsync<int>("s => document.querySelectorAll(s).length", selector);

    /// <summary>Every image on the page loaded (a plot that failed to render has no natural width).</summary>
    public async Task AssertImagesLoadedAsync()
    {
        await Page.WaitForFunctionAsync("() => [...document.images].every(i => i.complete)");
        string[] broken = await Page.EvaluateFunctionAsync<string[]>("() => [...document.images].filter(i => i.naturalWidth === 0).map(i => i.src)");
        Assert.Empty(broken);
    }

    /// <summary>Every form control has a label (label[for] or aria-label) and can take keyboard focus.</summary>
    public async Task AssertControlsLabelledAsync()
    {
        string[] unlabelled = await Page.EvaluateFunctionAsync<string[]>("""
            () => [...document.querySelectorAll('input:not([type=hidden]), select, button')]
              .filter(c => !(c.labels && c.labels.length) && !c.getAttribute('aria-label') && !(c.tagName === 'BUTTON' && c.textContent.trim()))
              .map(c => c.outerHTML)
            """);
        Assert.Empty(unlabelled);
        string[] unfocusable = await Page.EvaluateFunctionAsync<string[]>("""
            () => [...document.querySelectorAll('input:not([type=hidden]), select, button, a[href]')]
              .filter(c => { c.focus(); return document.activeElement !== c; }).map(c => c.outerHTML)
            """);
        Assert.Empty(unfocusable);
    }

    /// <summary>Saves the page at phone and laptop sizes as out/console-screenshots/NAME-SIZE.png.</summary>
    public async Task ShootAsync(string name)
    {
        foreach ((string size, int width, int height) in Sizes)
        {
            await Page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height });
            await Page.ScreenshotAsync(Path.Combine(ConsoleFleet.ScreenshotFolder, $"{name}-{size}.png"), new ScreenshotOptions { FullPage = true });
        }
    }

    public void AssertNoErrors()
    {
        lock (_errors) Assert.True(_errors.Count == 0, "the browser reported:\n" + string.Join('\n', _errors) + "\nserver:\n" + _fleet.ServerLog);
    }

    public async ValueTask DisposeAsync()
    {
        await Page.CloseAsync();
        await _context.CloseAsync();
    }
}
