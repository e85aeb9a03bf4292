using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AscCollab.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AscCollab.Web.Tests;

/// <summary>
/// The web client in a real browser against the real server. Split by feature into partial
/// files (BrowserTests.CoEditing.cs, .SignOffs.cs, .Offline.cs, .Authorization.cs, .Screenshots.cs).
/// Every test makes its own proposals, so tests share the server but no data.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed partial class BrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Activity = "preventive-diplomacy";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);
    private readonly List<IBrowserContext> _contexts = [];
    private AscCollabApp _server = null!;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(15_000);
        _server = await browser.Server(azurite);
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync().WithTimeout();
        }
    }

    /// <summary>A new browser context (its own storage: one delegation) signed in through the sign-in page.</summary>
    private async Task<(IBrowserContext Context, IPage Page)> SignIn(string member, string role = "delegate", int width = 1280, int height = 800)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _server.BaseUrl!.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
        }).WithTimeout();
        _contexts.Add(context);
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync().WithTimeout();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Console.WriteLine($"[{member} console] {message.Text}");
            }
        };
        await page.GotoAsync("/#/signin").WithTimeout();
        await page.Locator("#signin-member").SelectOptionAsync(member).WithTimeout();
        await page.Locator("#signin-role").SelectOptionAsync(role).WithTimeout();
        await page.Locator("#signin-submit").ClickAsync().WithTimeout();
        // The secretariat signs in under its own code, whichever member was picked.
        var who = role == "secretariat" ? new Regex(" · secretariat$") : new Regex($"^{member} · {role}$");
        await Expect(page.Locator("#signed-in-as")).ToHaveTextAsync(who).WithTimeout();
        return (context, page);
    }

    private static async Task OpenProposal(IPage page, string id)
    {
        await page.GotoAsync($"/#/proposals/{id}").WithTimeout();
        await Expect(page.Locator("#proposal-text")).ToBeEnabledAsync().WithTimeout();
        await Expect(page.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "connected").WithTimeout();
    }

    /// <summary>Connected and nothing unacknowledged.</summary>
    private static async Task Saved(IPage page)
    {
        var status = page.Locator("#connection-status");
        await Expect(status).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20_000 }).WithTimeout();
        await Expect(status).ToHaveAttributeAsync("data-queued", "0", new() { Timeout = 20_000 }).WithTimeout();
    }

    private static async Task<string> CreateProposal(HttpClient delegation, string title, string text)
    {
        var response = await delegation.PostAsJsonAsync("/api/proposals", new { activity = Activity, title, text }).WithTimeout();
        var body = await response.Content.ReadAsStringAsync().WithTimeout();
        Assert.True((int)response.StatusCode == 201, $"create: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    private async Task Circulate(string id)
    {
        using var chair = await _server.ClientFor(AscCollabApp.Chair, "chair");
        var response = await chair.PostAsJsonAsync($"/api/proposals/{id}/circulate", new { rule = "Unanimity" }).WithTimeout();
        Assert.True(response.IsSuccessStatusCode, $"circulate: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<JsonNode> ServerProposal(string id)
    {
        using var reader = await _server.ClientFor("ID");
        return JsonNode.Parse(await reader.GetStringAsync($"/api/proposals/{id}").WithTimeout())!;
    }

    /// <summary>Waits until every page shows the server's text (bounded), then returns it.</summary>
    private async Task<string> Converged(string id, params IPage[] pages)
    {
        foreach (var page in pages)
        {
            await Saved(page);
        }
        var deadline = DateTime.UtcNow + Settle;
        string serverText;
        string[] shown;
        do
        {
            serverText = (await ServerProposal(id))["text"]!.GetValue<string>();
            shown = [.. await Task.WhenAll(pages.Select(p => p.Locator("#proposal-text").InputValueAsync()))];
            if (shown.All(s => s == serverText))
            {
                return serverText;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"pages did not converge on the server's text.\nserver: {serverText}\n{string.Join("\n", shown.Select((s, i) => $"page {i}: {s}"))}");
        return serverText;
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    private static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(RepoPaths.Root, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }
}
