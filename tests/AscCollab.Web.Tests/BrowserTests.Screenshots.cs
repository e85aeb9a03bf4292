using System.Net.Http.Json;
using AscCollab.Testing;
using static Microsoft.Playwright.Assertions;

namespace AscCollab.Web.Tests;

public sealed partial class BrowserTests
{
    /// <summary>The main pages, filled with real data, saved under TestResults/screenshots for a person to look at.</summary>
    [Fact]
    public async Task Main_pages_render_with_live_data_and_are_saved_as_screenshots()
    {
        var group = "scs-" + Guid.NewGuid().ToString("N")[..8];
        using (var chairClient = await _server.ClientFor(AscCollabApp.Chair, "chair"))
        {
            var response = await chairClient.PostAsJsonAsync("/api/groups", new
            {
                id = group,
                name = "Working group on a Code of Conduct in the South China Sea",
                mandate = "Prepare elements of a Code of Conduct in the South China Sea for consideration by the AMM.",
                coordinator = "VN",
                activities = new[] { "south-china-sea-code-of-conduct" },
                participants = new[] { "BN", "ID", "MY", "PH", "SG", "VN" },
            }).WithTimeout();
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        using var my = await _server.ClientFor("MY");
        var response2 = await my.PostAsJsonAsync("/api/proposals", new
        {
            activity = "south-china-sea-code-of-conduct",
            title = "Elements of a Code of Conduct: notification of exercises",
            text = "Parties notify each other of naval exercises in the area at least 14 days in advance.",
            group,
        }).WithTimeout();
        Assert.True((int)response2.StatusCode == 201, await response2.Content.ReadAsStringAsync());
        var id = await CreateProposal(my, "Preventive diplomacy: an ASEAN register of experts",
            "1. Members nominate experts and eminent persons.\n2. The register is kept by the ASEAN Secretariat.\n3. The Chair may draw on it in preventive diplomacy.");
        await Circulate(id);

        var (_, malaysia) = await SignIn("MY");
        await Expect(malaysia.Locator("#proposals tr[data-proposal]")).Not.ToHaveCountAsync(0).WithTimeout();
        await Expect(malaysia.Locator($"#todo li[data-proposal='{id}']")).ToBeVisibleAsync().WithTimeout();
        await malaysia.ScreenshotAsync(new() { Path = ScreenshotPath("workspace"), FullPage = true }).WithTimeout();

        var (_, singapore) = await SignIn("SG");
        await OpenProposal(malaysia, id);
        await OpenProposal(singapore, id);
        var theirs = singapore.Locator("#proposal-text");
        await theirs.FocusAsync().WithTimeout();
        await singapore.Keyboard.PressAsync("Control+End").WithTimeout();
        await theirs.PressSequentiallyAsync("\n4. Experts serve for three years.", new() { Delay = 5 }).WithTimeout();
        await Converged(id, malaysia, singapore);
        await theirs.PressAsync("ArrowUp").WithTimeout(); // moves the cursor: presence is pushed
        await Expect(malaysia.Locator(".remote-caret[data-member='SG']")).ToHaveCountAsync(1).WithTimeout();
        await Expect(malaysia.Locator("#presence li[data-member='SG']")).ToBeVisibleAsync().WithTimeout();
        await malaysia.Locator("#tab-versions").ClickAsync().WithTimeout();
        await malaysia.Locator("#diff-show").ClickAsync().WithTimeout();
        await malaysia.ScreenshotAsync(new() { Path = ScreenshotPath("proposal"), FullPage = true }).WithTimeout();

        await malaysia.GotoAsync($"/#/groups/{group}").WithTimeout();
        await Expect(malaysia.Locator("#group-mandate")).ToContainTextAsync("Code of Conduct").WithTimeout();
        await Expect(malaysia.Locator("#group-consensus tr[data-proposal]")).ToHaveCountAsync(1).WithTimeout();
        await malaysia.ScreenshotAsync(new() { Path = ScreenshotPath("group"), FullPage = true }).WithTimeout();

        var (_, chair) = await SignIn(AscCollabApp.Chair, "chair");
        await Expect(chair.Locator($"#matrix tr[data-proposal='{id}']")).ToBeVisibleAsync().WithTimeout();
        await Expect(chair.Locator("#progress-chart svg")).ToBeVisibleAsync().WithTimeout();
        await chair.ScreenshotAsync(new() { Path = ScreenshotPath("dashboard-overview"), FullPage = true }).WithTimeout();

        var (_, narrow) = await SignIn("TH", width: 390, height: 844);
        await OpenProposal(narrow, id);
        var scrollWidth = await narrow.EvaluateAsync<int>("() => document.documentElement.scrollWidth").WithTimeout();
        Assert.True(scrollWidth <= 390, $"the narrow page scrolls sideways: {scrollWidth} px wide");
        await narrow.ScreenshotAsync(new() { Path = ScreenshotPath("narrow-proposal") }).WithTimeout();
        await narrow.Locator("#sign-offs > summary").ClickAsync().WithTimeout(); // folded on a phone
        await narrow.Locator("#sign-offs").ScrollIntoViewIfNeededAsync().WithTimeout();
        await narrow.ScreenshotAsync(new() { Path = ScreenshotPath("narrow-proposal-sign-offs") }).WithTimeout();
        await narrow.GotoAsync("/#/").WithTimeout();
        await Expect(narrow.Locator("#proposals tr[data-proposal]")).Not.ToHaveCountAsync(0).WithTimeout();
        var overflowing = await narrow.EvaluateAsync<int>("() => [...document.querySelectorAll('.card')].filter((c) => c.scrollWidth > c.clientWidth + 1 && !c.querySelector('.scroll-x')).length").WithTimeout();
        Assert.Equal(0, overflowing);
        Assert.True(await narrow.Locator("#proposals table").BoundingBoxAsync().WithTimeout() is { Width: <= 390 }, "the proposals table fits the narrow window");
        await narrow.ScreenshotAsync(new() { Path = ScreenshotPath("narrow-workspace") }).WithTimeout();
    }

    [Fact]
    public async Task The_sign_in_page_and_its_controls_are_reachable_by_keyboard()
    {
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = _server.BaseUrl!.ToString() }).WithTimeout();
        _contexts.Add(context);
        var page = await context.NewPageAsync().WithTimeout();
        await page.GotoAsync("/#/signin").WithTimeout();
        await Expect(page.Locator("#signin-member")).ToBeVisibleAsync().WithTimeout();
        var focused = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            await page.Keyboard.PressAsync("Tab").WithTimeout();
            focused.Add(await page.EvaluateAsync<string>("() => document.activeElement.id || document.activeElement.className").WithTimeout());
        }
        Assert.Contains("signin-member", focused);
        Assert.Contains("signin-role", focused);
        Assert.Contains("signin-submit", focused);
        Assert.True(focused.IndexOf("signin-member") < focused.IndexOf("signin-role") && focused.IndexOf("signin-role") < focused.IndexOf("signin-submit"), string.Join(",", focused));
        await Expect(page.Locator("#connection-status")).ToHaveAttributeAsync("aria-live", "polite").WithTimeout();
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("signin") }).WithTimeout();
    }
}
