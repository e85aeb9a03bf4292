using System.Net.Http.Json;
using AscCollab.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AscCollab.Web.Tests;

/// <summary>
/// Drafting conventions in the browser (issue 13): numbered paragraphs, highlighted brackets, a
/// paragraph agreed ad referendum and confirmed, a discussion with a mention, the Chair's view of
/// open brackets, all live between delegations and on a phone.
/// </summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task Brackets_are_highlighted_a_paragraph_is_agreed_ad_referendum_a_discussion_mentions_a_delegation_and_the_chair_sees_open_brackets()
    {
        using var my = await _server.ClientFor("MY");
        var id = await CreateProposal(my, "Register of maritime liaison points " + Guid.NewGuid().ToString("N")[..6],
            Chapeau + "Member States [shall][should] name a liaison point.\n\nThe Secretariat keeps the register.");
        using (var chairClient = await _server.ClientFor(AscCollabApp.Chair, "chair"))
        {
            var circulated = await chairClient.PostAsJsonAsync($"/api/proposals/{id}/circulate", new { rule = "Unanimity", openBracketsOverride = "Ministers asked to see both options." }).WithTimeout();
            Assert.True(circulated.IsSuccessStatusCode, await circulated.Content.ReadAsStringAsync());
        }

        var (_, malaysia) = await SignIn("MY");
        var (_, thailand) = await SignIn("TH", width: 390, height: 844); // on a phone
        await OpenProposal(malaysia, id);
        await OpenProposal(thailand, id);
        await thailand.Locator("#drafting > summary").ClickAsync().WithTimeout(); // folded on a phone
        var op1 = thailand.Locator("#paragraphs li[data-number='OP1']");
        var op2 = thailand.Locator("#paragraphs li[data-number='OP2']");
        await Expect(op1).ToHaveAttributeAsync("data-status", "Bracketed").WithTimeout();
        await Expect(op1.Locator("mark.bracket")).ToHaveTextAsync("[shall][should]").WithTimeout();
        await Expect(op1).ToContainTextAsync("bracketed").WithTimeout();
        await Expect(op2).ToHaveAttributeAsync("data-status", "Agreed").WithTimeout();
        Assert.Equal(0, await op1.Locator("button[data-action='mark']").CountAsync().WithTimeout()); // not on a bracketed paragraph

        // Thailand agrees OP2 ad referendum; Malaysia sees it live.
        await op2.Locator("button[data-action='mark']").ClickAsync().WithTimeout();
        await thailand.Locator("#adref-OP2-pending").FillAsync("confirmation by Bangkok").WithTimeout();
        await op2.GetByRole(AriaRole.Button, new() { Name = "Agree ad referendum", Exact = true }).ClickAsync().WithTimeout();
        await Expect(op2).ToHaveAttributeAsync("data-status", "AdReferendum").WithTimeout();
        var op2OnMalaysia = malaysia.Locator("#paragraphs li[data-number='OP2']");
        await Expect(op2OnMalaysia).ToHaveAttributeAsync("data-status", "AdReferendum").WithTimeout();
        await Expect(op2OnMalaysia).ToContainTextAsync("Thailand agreed ad referendum — pending confirmation by Bangkok").WithTimeout();
        Assert.Equal(0, await op2OnMalaysia.Locator("button[data-action='confirm']").CountAsync().WithTimeout()); // Thailand's, not Malaysia's

        // The Chair's dashboard: open brackets and ad referendum of this proposal.
        var (_, chair) = await SignIn(AscCollabApp.Chair, "chair");
        var row = chair.Locator($"#drafting-overview tr[data-proposal='{id}']");
        await Expect(row).ToContainTextAsync("operative paragraph 1").WithTimeout();
        await Expect(row).ToContainTextAsync("operative paragraph 2").WithTimeout();

        // Bangkok confirms: agreed everywhere.
        await op2.Locator("button[data-action='confirm']").ClickAsync().WithTimeout();
        await Expect(op2OnMalaysia).ToHaveAttributeAsync("data-status", "Agreed").WithTimeout();

        // A discussion on OP1 mentioning Thailand; Thailand replies, Malaysia resolves it.
        var op1OnMalaysia = malaysia.Locator("#paragraphs li[data-number='OP1']");
        await op1OnMalaysia.Locator("button[data-action='discuss']").ClickAsync().WithTimeout();
        await malaysia.Locator("#thread-OP1").FillAsync("@TH can Bangkok live with shall?").WithTimeout();
        await malaysia.Locator("#thread-OP1").PressAsync("Tab").WithTimeout();
        await op1OnMalaysia.GetByRole(AriaRole.Button, new() { Name = "Start the discussion", Exact = true }).ClickAsync().WithTimeout();
        var thread = op1.Locator("article.thread");
        await Expect(thread).ToContainTextAsync("@Thailand can Bangkok live with shall?").WithTimeout();
        await thread.GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync().WithTimeout();
        await thread.Locator("textarea").FillAsync("Yes, confirmed this morning.").WithTimeout();
        await thread.GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).Last.ClickAsync().WithTimeout();
        var threadOnMalaysia = op1OnMalaysia.Locator("article.thread");
        await Expect(threadOnMalaysia).ToContainTextAsync("Yes, confirmed this morning.").WithTimeout();
        await threadOnMalaysia.Locator("button[data-action='resolve']").ClickAsync().WithTimeout();
        await Expect(thread).ToHaveAttributeAsync("data-resolved", "true").WithTimeout();

        // The history says it in words; the phone page does not scroll sideways with the margin open.
        await malaysia.Locator("#tab-history").ClickAsync().WithTimeout();
        var audit = malaysia.Locator("#audit");
        await Expect(audit).ToContainTextAsync("circulated the text with open brackets in operative paragraph 1").WithTimeout();
        await Expect(audit).ToContainTextAsync("Thailand agreed operative paragraph 2 ad referendum, pending confirmation by Bangkok").WithTimeout();
        await Expect(audit).ToContainTextAsync("Thailand confirmed its agreement on operative paragraph 2").WithTimeout();
        await Expect(audit).ToContainTextAsync("Malaysia started a discussion on operative paragraph 1, mentioning Thailand").WithTimeout();
        // Malaysia (the pen-holder) names the current draft; each version downloads as Word.
        await malaysia.Locator("#tab-versions").ClickAsync().WithTimeout();
        await malaysia.Locator("#version-name").FillAsync("Kuala Lumpur text").WithTimeout();
        await malaysia.Locator("#version-name-submit").ClickAsync().WithTimeout();
        await Expect(malaysia.Locator("#versions")).ToContainTextAsync("The version “Kuala Lumpur text”").WithTimeout();
        await Expect(thailand.Locator("#versions")).ToContainTextAsync("The version “Kuala Lumpur text”").WithTimeout(); // pushed
        Assert.Equal(0, await thailand.Locator("#version-name").CountAsync().WithTimeout()); // not Thailand's to name
        var download = await malaysia.RunAndWaitForDownloadAsync(() => malaysia.Locator("#versions button[data-docx]").First.ClickAsync()).WithTimeout();
        Assert.EndsWith(".docx", download.SuggestedFilename, StringComparison.Ordinal);
        var file = await download.PathAsync().WithTimeout();
        var head = new byte[2];
        await using (var stream = File.OpenRead(file))
        {
            Assert.Equal(2, await stream.ReadAsync(head));
        }
        Assert.Equal("PK"u8.ToArray(), head); // a zip package, as .docx files are

        var width = await thailand.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth").WithTimeout();
        Assert.True(width <= 390, $"the phone page scrolls sideways: {width} px");
        await thailand.ScreenshotAsync(new() { Path = ScreenshotPath("narrow-proposal-drafting"), FullPage = true }).WithTimeout();
        await malaysia.ScreenshotAsync(new() { Path = ScreenshotPath("proposal-drafting"), FullPage = true }).WithTimeout();
    }
}
