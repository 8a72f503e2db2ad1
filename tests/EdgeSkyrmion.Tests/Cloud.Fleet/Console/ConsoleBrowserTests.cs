using System.Globalization;
using EdgeSkyrmion.Cloud.Fleet.Console;
using EdgeSkyrmion.Cloud.Updates;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;
using Xunit.Abstractions;

namespace EdgeSkyrmion.Tests.Fleet.ConsolePages;

/// <summary>
/// The operator console in Debian's headless Chromium against a real `fleet-server serve` and a real `edge run`:
/// log in; see the devices; start a rollout from the page and watch it reach "applied" without a reload; open the
/// device's history and plots; roll back; abort a rollout; a stale page acting on a finished rollout; a user's budget
/// curve and the budget form's refusals; models compared; the energy CSV downloaded and parsed. Every test fails on
/// any browser console error and saves screenshots (phone and laptop) under out/console-screenshots/.
/// </summary>
[Collection(RealProcessCollection.Name)]
public sealed class ConsoleBrowserTests(ConsoleFleet fleet, ITestOutputHelper output) : IClassFixture<ConsoleFleet>
{
    [Fact]
    public async Task AWrongOrMissingTokenShowsTheLoginPageAndNothingElse()
    {
        await using ConsoleBrowser browser = await ConsoleBrowser.OpenAsync(fleet);
        foreach (string path in new[] { "/console", "/console/devices/wrist-1", "/console/energy", "/console/energy.csv" })
        {
            await browser.GoAsync(path);
            Assert.Contains("/console/login", browser.Page.Url);
            Assert.DoesNotContain(ConsoleFleet.Wearable, await VisibleTextAsync(browser));
        }
        await browser.LogInAsync("0123456789abcdef");
        Assert.Contains("/console/login", browser.Page.Url);
        Assert.Equal("That is not an operator token.", await browser.TextAsync("#token-error"));
        Assert.DoesNotContain(ConsoleFleet.Wearable, await VisibleTextAsync(browser));
        await browser.ShootAsync("login-refused");

        // The field is required, so the browser will not send it empty; form.submit() skips that check, as a script or another client might.
        await browser.GoAsync("/console/login");
        Task<PuppeteerSharp.IResponse> navigation = browser.Page.WaitForNavigationAsync();
        await browser.Page.EvaluateExpressionAsync("document.querySelector('form.card').submit()");
        await navigation;
        Assert.Equal("Enter the operator token.", await browser.TextAsync("#token-error"));
        Assert.Equal(0, await browser.CountAsync("nav a"));
        await browser.AssertControlsLabelledAsync();
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task TheFleetPageListsTheDevicesAndSearchesAndFiltersThem()
    {
        await using ConsoleBrowser browser = await ConsoleBrowser.OpenAsync(fleet);
        await browser.LogInAsync();
        Assert.EndsWith("/console", browser.Page.Url);
        string[] ids = await browser.Page.EvaluateFunctionAsync<string[]>("() => [...document.querySelectorAll('#devices tbody tr td:first-child')].map(td => td.textContent.trim())");
        // Other tests of the class may have added devices; the fixture's are all listed, in id order.
        Assert.Subset(ids.ToHashSet(), ConsoleFleet.Offline.Append(ConsoleFleet.Wearable).ToHashSet());
        Assert.Equal([.. ids.Order(StringComparer.Ordinal)], ids);
        await browser.AssertControlsLabelledAsync();
        await browser.ShootAsync("fleet");

        await browser.Page.TypeAsync("#q", "offline-2");
        await browser.SubmitAsync("form.filters button");
        Assert.Equal(["wrist-offline-2"], await browser.Page.EvaluateFunctionAsync<string[]>("() => [...document.querySelectorAll('#devices tbody tr td:first-child')].map(td => td.textContent.trim())"));
        Assert.StartsWith("1 devices match", await browser.TextAsync("#device-count"));

        await browser.GoAsync("/console?health=degraded");
        Assert.Equal(0, await browser.CountAsync("#devices tbody tr"));
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task ARolloutStartedFromThePageReachesAppliedLiveThenRollsBack()
    {
        await using ConsoleBrowser browser = await ConsoleBrowser.OpenAsync(fleet);
        await browser.LogInAsync();
        await browser.GoAsync("/console/rollouts");
        await browser.AssertControlsLabelledAsync();
        await browser.ShootAsync("rollouts");

        // The fleet is shared with the other tests: the audit is read from here on.
        ulong auditedBefore = (await fleet.Ops.Client.ListAuditAsync(new ListAuditRequest())).Entries.Select(e => e.Sequence).DefaultIfEmpty(0UL).Max();

        // v1 as a full image, then v2 as a delta: each watched on the rollout page until the device's row says applied.
        foreach (ulong version in new ulong[] { 1, 2 })
        {
            await browser.GoAsync("/console/rollouts");
            await browser.Page.SelectAsync("#version", $"{ConsoleFleet.ModelId}@{version}");
            await browser.Page.TypeAsync("#devices", ConsoleFleet.Wearable);
            await browser.SubmitAsync("#start-rollout button");
            await WatchAppliedAsync(browser, $"v{version}");
        }
        await browser.ShootAsync("rollout-applied");

        // Roll back: the page republishes v1's weights as v3 and rolls it out to the device, which applies it.
        await browser.SubmitAsync("#rollback");
        Assert.Matches("/console/rollouts/r-[0-9a-f]{12}$", browser.Page.Url);
        await WatchAppliedAsync(browser, "rollback");
        DeviceDetail device = await fleet.Ops.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = ConsoleFleet.Wearable });
        Assert.Equal(3UL, device.Device.ModelVersion);
        ModelImage v3 = await fleet.Ops.Client.GetModelImageAsync(new GetModelImageRequest { ModelId = ConsoleFleet.ModelId, Version = 3 });
        Assert.True(v3.Layers.Zip(fleet.V1.Layers).All(p => p.First.PlusStates == p.Second.PlusStates && p.First.MinusStates == p.Second.MinusStates));
        // Each action taken through the page is in the audit log, as the admin who took it.
        string[] actions = [.. (await fleet.Ops.Client.ListAuditAsync(new ListAuditRequest { AfterSequence = auditedBefore })).Entries
            .Where(e => e.Action.StartsWith("console ", StringComparison.Ordinal)).Select(e => $"{e.Operator} {e.Action} {e.Outcome}")];
        Assert.Equal(["admin console Rollouts done", "admin console Rollouts done", "admin console Rollout.RollBack done"], actions);

        // The device page: its history (three updates, as the API records them) and its telemetry plots.
        await browser.GoAsync("/console/devices/" + ConsoleFleet.Wearable);
        Assert.Equal(3, await browser.CountAsync("#updates tbody tr"));
        Assert.Equal(["full", "delta", "delta"], await browser.Page.EvaluateFunctionAsync<string[]>("() => [...document.querySelectorAll('#updates tbody tr td:nth-child(3)')].map(td => td.textContent.trim())"));
        Assert.Contains(ConsoleFleet.ModelId + " v3", await browser.TextAsync("#holds"));
        Assert.True(int.Parse(await browser.TextAsync("#telemetry-count"), CultureInfo.InvariantCulture) >= 3);
        await browser.AssertImagesLoadedAsync();
        await browser.ShootAsync("device");

        // The energy page and its CSV: one row per applied update, with the energy the device measured.
        await browser.GoAsync("/console/energy");
        await browser.AssertImagesLoadedAsync();
        await browser.ShootAsync("energy");
        Assert.Equal("/console/energy.csv", await browser.Page.EvaluateFunctionAsync<string>("() => document.querySelector('#csv').getAttribute('href')"));
        string csv = await browser.Page.EvaluateFunctionAsync<string>("() => fetch('/console/energy.csv').then(r => r.ok ? r.text() : 'HTTP ' + r.status)");
        string[] lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal(ConsoleEndpoints.CsvHeader, lines[0]);
        string[] columns = lines[0].Split(',');
        Dictionary<string, string[]> rows = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(r => r[0]);
        device = await fleet.Ops.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = ConsoleFleet.Wearable });
        Assert.Equal(3, device.Updates.Count(u => u.Outcome == UpdateOutcome.Applied));
        foreach (UpdateRecord u in device.Updates)
        {
            string[] row = rows[u.UpdateId];
            Assert.Equal(ConsoleFleet.Wearable, row[Array.IndexOf(columns, "device_id")]);
            Assert.Equal(u.EnergyFj, double.Parse(row[Array.IndexOf(columns, "energy_fj")], CultureInfo.InvariantCulture));
            Assert.Equal((long)u.Pulses, long.Parse(row[Array.IndexOf(columns, "pulses")], CultureInfo.InvariantCulture));
            Assert.True(u.EnergyFj > 0);
        }
        browser.AssertNoErrors();
    }

    /// <summary>
    /// On the rollout page the form led to: waits, without reloading, until the device's row reads "applied", and
    /// reports how long after the server recorded the ack the page showed it.
    /// </summary>
    private async Task WatchAppliedAsync(ConsoleBrowser browser, string what)
    {
        Assert.Matches("/console/rollouts/r-[0-9a-f]{12}$", browser.Page.Url);
        await browser.Page.EvaluateExpressionAsync("window.loadedOnce = true");
        string row = $"tr[data-device=\"{ConsoleFleet.Wearable}\"]";
        await browser.Page.WaitForFunctionAsync($"() => document.querySelector('{row} .outcome').textContent === 'applied' && document.getElementById('state').textContent === 'succeeded'",
            new PuppeteerSharp.WaitForFunctionOptions { Timeout = 120_000 });
        Assert.True(await browser.Page.EvaluateExpressionAsync<bool>("window.loadedOnce === true"), "the page reloaded instead of updating in place");
        Assert.Equal("1", await browser.TextAsync("#applied"));
        string? shown = await browser.Page.EvaluateFunctionAsync<string?>("s => document.querySelector(s).dataset.shownMs ?? null", row);
        string? acked = await browser.Page.EvaluateFunctionAsync<string?>("s => document.querySelector(s).dataset.ackedMs ?? null", row);
        if (shown is not null && acked is not null)
            output.WriteLine($"{what}: ack recorded → rollout page showed it: {long.Parse(shown, CultureInfo.InvariantCulture) - long.Parse(acked, CultureInfo.InvariantCulture)} ms");
        else
            output.WriteLine($"{what}: applied before the event stream's first message (no in-place change to time)");
    }

    [Fact]
    public async Task AnAbortedRolloutCancelsItsPendingDevicesAndAStalePageSaysWhyItCannotAct()
    {
        await using ConsoleBrowser browser = await ConsoleBrowser.OpenAsync(fleet);
        await browser.LogInAsync();
        await browser.GoAsync("/console/rollouts");
        await browser.Page.SelectAsync("#version", $"{ConsoleFleet.ModelId}@2");
        await browser.Page.TypeAsync("#devices", "wrist-offline-1, wrist-offline-3");
        await browser.SubmitAsync("#start-rollout button");
        string rolloutPage = browser.Page.Url;
        string rolloutId = rolloutPage[(rolloutPage.LastIndexOf('/') + 1)..];
        Assert.Equal("in progress", await browser.TextAsync("#state"));
        Assert.Equal("2", await browser.TextAsync("#pending"));
        await browser.AssertControlsLabelledAsync();
        await browser.ShootAsync("rollout-in-progress");

        // A second tab opened now goes stale once the first pauses and aborts the rollout.
        await using ConsoleBrowser stale = await ConsoleBrowser.OpenAsync(fleet);
        await stale.LogInAsync();
        await stale.GoAsync(new Uri(rolloutPage).AbsolutePath);

        await browser.SubmitAsync("#pause");
        Assert.Equal("paused", await browser.TextAsync("#state"));
        Assert.Equal(RolloutState.Paused, (await fleet.Ops.Client.GetRolloutAsync(new GetRolloutRequest { RolloutId = rolloutId })).State);
        await browser.SubmitAsync("#abort");
        Assert.Equal("cancelled", await browser.TextAsync("#state"));
        Assert.Equal("2", await browser.TextAsync("#cancelled"));
        RolloutStatus aborted = await fleet.Ops.Client.GetRolloutAsync(new GetRolloutRequest { RolloutId = rolloutId });
        Assert.Equal(RolloutState.Cancelled, aborted.State);
        Assert.All(aborted.Devices, d => Assert.Equal(UpdateOutcome.Cancelled, d.Outcome));
        await browser.ShootAsync("rollout-aborted");

        await stale.SubmitAsync("#pause");
        Assert.Equal($"rollout {rolloutId} is cancelled; it cannot pause (it must be in progress). Nothing was changed; the page now shows where the rollout stands.",
            await stale.TextAsync("#message"));
        Assert.Equal("cancelled", await stale.TextAsync("#state"));
        Assert.Equal(0, await stale.CountAsync("#pause"));
        Assert.Equal(RolloutState.Cancelled, (await fleet.Ops.Client.GetRolloutAsync(new GetRolloutRequest { RolloutId = rolloutId })).State);
        await stale.ShootAsync("rollout-stale-action");
        browser.AssertNoErrors();
        stale.AssertNoErrors();
    }

    [Fact]
    public async Task AUsersPageShowsTheBudgetCurveAndRefusesOutOfRangeValuesStoringNothing()
    {
        const string user = "alice", device = "wrist-alice";
        await fleet.Ops.Client.RegisterUserAsync(new RegisterUserRequest { UserId = user, DeviceId = device });
        ModelImage plan = TestImages.Random([100, 30, 10], 1, seed: 21, "person-" + user);
        await fleet.Ops.Client.PublishModelAsync(new PublishModelRequest { Image = plan.ToByteString() });
        var personalization = new EdgeSkyrmion.Protos.V1.Personalization
        {
            UserId = user, ModelId = plan.ModelId, Version = 1, BaseAccuracy = 0.62, PersonalAccuracy = 0.88, EvaluatedWith = "quantized SNN, 20 steps",
            SynapsesChanged = 120, SynapsesTotal = 3300, Pulses = 400, EnergyFj = 1.2e5, FullEnergyFj = 2e6, Bytes = 900, BudgetFj = 1.5e5,
        };
        foreach ((double share, double accuracy) in new[] { (0.05, 0.70), (0.25, 0.82), (0.5, 0.86), (1.0, 0.88) })
            personalization.Curve.Add(new BudgetPoint { EnergyFraction = share, EnergyFj = share * 2.4e5, SynapsesChanged = (uint)(share * 240), Accuracy = accuracy });
        await fleet.Ops.Client.RecordPersonalizationAsync(personalization);

        await using ConsoleBrowser browser = await ConsoleBrowser.OpenAsync(fleet);
        await browser.LogInAsync();
        await browser.GoAsync("/console/users");
        Assert.Equal(["alice", "wrist-alice", "none", "62.0 %", "88.0 %"],
            (await browser.Page.EvaluateFunctionAsync<string[]>("() => [...document.querySelectorAll('#users tbody tr:first-child td')].map(td => td.textContent.trim())")).Take(5));
        await browser.ShootAsync("users");

        await browser.GoAsync("/console/users/alice");
        await browser.AssertImagesLoadedAsync();
        Assert.Equal(4, await browser.CountAsync("#curve tbody tr"));
        Assert.Equal("88.0 % (quantized SNN, 20 steps)", await browser.TextAsync("#personal-accuracy"));
        await browser.AssertControlsLabelledAsync();
        await browser.ShootAsync("user");

        int rolloutsBefore = (await fleet.Ops.Client.ListRolloutsAsync(new ListRolloutsRequest())).Rollouts.Count;
        await FillAsync(browser, "#budget", "1");
        await browser.SubmitAsync("#send-update button");
        Assert.Contains("is below the energy of one programming pulse", await browser.TextAsync("#budget-error"));
        await browser.ShootAsync("user-budget-refused");

        await FillAsync(browser, "#budget", "1e15");
        await FillAsync(browser, "#threshold", "150");
        await browser.SubmitAsync("#send-update button");
        Assert.Equal("\"150\" is not a percentage from 0 to 100.", await browser.TextAsync("#threshold-error"));
        Assert.Equal("", await browser.TextAsync("#budget-error"));

        await FillAsync(browser, "#threshold", "95");
        await browser.SubmitAsync("#send-update button");
        Assert.Contains("reaches 88.0 %, below the threshold of 95 %", await browser.TextAsync("#threshold-error"));
        Assert.Equal(rolloutsBefore, (await fleet.Ops.Client.ListRolloutsAsync(new ListRolloutsRequest())).Rollouts.Count);

        await FillAsync(browser, "#threshold", "80");
        await browser.SubmitAsync("#send-update button");
        Assert.StartsWith("Sent: rollout r-", await browser.TextAsync("#sent"));
        ListRolloutsResponse after = await fleet.Ops.Client.ListRolloutsAsync(new ListRolloutsRequest());
        Assert.Equal(rolloutsBefore + 1, after.Rollouts.Count);
        Assert.Equal(plan.ModelId, after.Rollouts[0].ModelId);
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task TheModelsPageComparesTwoVersionsAsTheDeltaWouldCarryThem()
    {
        await using ConsoleBrowser browser = await ConsoleBrowser.OpenAsync(fleet);
        await browser.LogInAsync();
        await browser.GoAsync("/console/models");
        Assert.True(await browser.CountAsync("#models tbody tr") >= 2);
        await browser.Page.SelectAsync("#from", $"{ConsoleFleet.ModelId}@1");
        await browser.Page.SelectAsync("#to", $"{ConsoleFleet.ModelId}@2");
        await browser.SubmitAsync("form.filters button");
        (_, int changed, _) = UpdateCost.Diff(fleet.V1, fleet.V2);
        Assert.StartsWith($"{changed.ToString("N0", CultureInfo.InvariantCulture)} of 3,300 ", await browser.TextAsync("#synapses-differ"));
        Assert.True(changed > 0);
        Assert.Matches("^[0-9.]+ (fJ|pJ|nJ|µJ)$", await browser.TextAsync("#predicted-energy"));
        await browser.AssertControlsLabelledAsync();
        await browser.ShootAsync("models");
        browser.AssertNoErrors();
    }

    private static Task<string> VisibleTextAsync(ConsoleBrowser browser) => browser.Page.EvaluateExpressionAsync<string>("document.body.innerText");

    private static async Task FillAsync(ConsoleBrowser browser, string selector, string text)
    {
        await browser.Page.EvaluateFunctionAsync("s => document.querySelector(s).value = ''", selector);
        await browser.Page.TypeAsync(selector, text);
    }
}
