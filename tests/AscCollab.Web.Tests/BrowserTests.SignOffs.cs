using AscCollab.Testing;
using static Microsoft.Playwright.Assertions;

namespace AscCollab.Web.Tests;

public sealed partial class BrowserTests
{
    [Fact]
    public async Task A_sign_off_in_one_context_appears_live_on_the_chairs_dashboard()
    {
        using var my = await _server.ClientFor("MY");
        var id = await CreateProposal(my, "Shared hotline for maritime incidents", "The Parties set up a hotline.");
        await Circulate(id);

        var (_, chair) = await SignIn(AscCollabApp.Chair, "chair");
        await Expect(chair.Locator("h1")).ToHaveTextAsync("Chair dashboard").WithTimeout();
        var cell = chair.Locator($"#matrix tr[data-proposal='{id}'] td[data-member='MY']");
        await Expect(cell).ToHaveAttributeAsync("data-position", "Pending").WithTimeout();
        await Expect(chair.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "connected").WithTimeout();

        var (_, malaysia) = await SignIn("MY");
        await OpenProposal(malaysia, id);
        await malaysia.Locator("#position-Concur").CheckAsync().WithTimeout();
        await malaysia.Locator("#signoff-submit").ClickAsync().WithTimeout();
        await Expect(malaysia.Locator("#sign-offs tr[data-member='MY']")).ToHaveAttributeAsync("data-position", "Concur").WithTimeout();

        // No reload on the dashboard: the change is pushed.
        await Expect(cell).ToHaveAttributeAsync("data-position", "Concur").WithTimeout();
        await Expect(cell).ToHaveAttributeAsync("data-stale", "false").WithTimeout();
        await chair.ScreenshotAsync(new() { Path = ScreenshotPath("dashboard"), FullPage = true }).WithTimeout();
    }

    [Fact]
    public async Task An_edit_after_a_sign_off_shows_it_stale_everywhere()
    {
        using var my = await _server.ClientFor("MY");
        var id = await CreateProposal(my, "Joint disaster relief exercise", "Members hold a yearly exercise.");
        await Circulate(id);

        var (_, chair) = await SignIn(AscCollabApp.Chair, "chair");
        var (_, malaysia) = await SignIn("MY");
        var (_, thailand) = await SignIn("TH");
        await OpenProposal(malaysia, id);
        await OpenProposal(thailand, id);
        await malaysia.Locator("#position-Concur").CheckAsync().WithTimeout();
        await malaysia.Locator("#signoff-submit").ClickAsync().WithTimeout();

        var onMalaysia = malaysia.Locator("#sign-offs tr[data-member='MY']");
        var onThailand = thailand.Locator("#sign-offs tr[data-member='MY']");
        var onDashboard = chair.Locator($"#matrix tr[data-proposal='{id}'] td[data-member='MY']");
        await Expect(onThailand).ToHaveAttributeAsync("data-position", "Concur").WithTimeout();
        await Expect(onThailand).ToHaveAttributeAsync("data-stale", "false").WithTimeout();
        await Expect(onDashboard).ToHaveAttributeAsync("data-position", "Concur").WithTimeout();

        // Thailand changes the text: Malaysia's concurrence was given on the earlier revision.
        var area = thailand.Locator("#proposal-text");
        await area.FocusAsync().WithTimeout();
        await thailand.Keyboard.PressAsync("Control+End").WithTimeout();
        await area.PressSequentiallyAsync(" In the dry season.", new() { Delay = 10 }).WithTimeout();
        await Converged(id, thailand, malaysia);

        foreach (var row in new[] { onMalaysia, onThailand })
        {
            await Expect(row).ToHaveAttributeAsync("data-stale", "true").WithTimeout();
            await Expect(row).ToContainTextAsync("(stale)").WithTimeout();
        }
        await Expect(onDashboard).ToHaveAttributeAsync("data-stale", "true").WithTimeout();
        await Expect(malaysia.Locator("#signoff-submit")).ToHaveTextAsync("Renew on the current draft").WithTimeout();

        // Malaysia's workspace asks it to renew.
        await malaysia.GotoAsync("/#/").WithTimeout();
        await Expect(malaysia.Locator($"#todo li[data-proposal='{id}']")).ToHaveAttributeAsync("data-kind", "RenewSignOff").WithTimeout();
    }
}
