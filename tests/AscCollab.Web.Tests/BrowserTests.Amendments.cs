using AscCollab.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AscCollab.Web.Tests;

/// <summary>
/// Drafting as delegations do it (issue 13): an amendment tabled in suggestion mode, seen live and
/// supported by another delegation, accepted by the pen-holder and shown as its author's words.
/// </summary>
public sealed partial class BrowserTests
{
    private const string Chapeau = "Recalling the 2004 Plan of Action,\n\nHave agreed as follows:\n\n";

    [Fact]
    public async Task An_amendment_tabled_in_suggestion_mode_is_supported_live_accepted_by_the_pen_holder_and_shown_as_its_authors_words()
    {
        using var my = await _server.ClientFor("MY");
        var id = await CreateProposal(my, "Exchange of information on maritime incidents", Chapeau + "Member States should exchange information on maritime incidents.");
        await Circulate(id);

        var (_, malaysia) = await SignIn("MY"); // the proposer: the pen-holder
        var (_, singapore) = await SignIn("SG");
        var (_, thailand) = await SignIn("TH");
        foreach (var page in new[] { malaysia, singapore, thailand })
        {
            await OpenProposal(page, id);
        }
        var op1 = singapore.Locator("#paragraphs li[data-number='OP1']");
        await Expect(op1).ToContainTextAsync("Member States should exchange").WithTimeout();
        await Expect(singapore.Locator("#paragraphs li[data-number='PP1']")).ToContainTextAsync("Recalling").WithTimeout();
        await Expect(singapore.Locator("#paragraphs li[data-number='chapeau']")).ToContainTextAsync("Have agreed as follows:").WithTimeout();

        // Singapore, in suggestion mode, selects "should" and types "shall": an amendment, not an edit.
        await singapore.Locator("#suggest-mode").CheckAsync().WithTimeout();
        await singapore.EvaluateAsync("() => { const t = document.getElementById('proposal-text'); const i = t.value.indexOf('should'); t.focus(); t.setSelectionRange(i, i + 6); }").WithTimeout();
        await singapore.Keyboard.TypeAsync("shall", new() { Delay = 20 }).WithTimeout();
        await Expect(singapore.Locator("#amendment-replacement")).ToHaveValueAsync("shall").WithTimeout();
        await Expect(singapore.Locator("#amendment-target")).ToContainTextAsync("should").WithTimeout();
        await singapore.Locator("#amendment-justification").FillAsync("A commitment, as in the 2004 Plan of Action.").WithTimeout();
        await singapore.Locator("#amendment-submit").ClickAsync().WithTimeout();
        await Expect(singapore.Locator("#amendment-form")).ToBeHiddenAsync().WithTimeout();
        Assert.Contains("should exchange", (await ServerProposal(id))["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("should exchange", await singapore.Locator("#proposal-text").InputValueAsync().WithTimeout(), StringComparison.Ordinal);
        var mine = singapore.Locator("#paragraphs li[data-number='OP1'] article.amendment[data-author='SG']");
        await Expect(mine).ToContainTextAsync("Singapore proposes to replace").WithTimeout();
        Assert.Equal(0, await mine.Locator("button[data-stance]").CountAsync().WithTimeout()); // not on its own amendment
        Assert.Equal(0, await mine.Locator("button[data-action='accept']").CountAsync().WithTimeout()); // not the pen-holder

        // Thailand sees it live beside OP1 and supports it; it may not accept it.
        var onThailand = thailand.Locator("#paragraphs li[data-number='OP1'] article.amendment[data-author='SG']");
        await Expect(onThailand).ToContainTextAsync("shall").WithTimeout();
        await Expect(onThailand).ToContainTextAsync("A commitment, as in the 2004 Plan of Action.").WithTimeout();
        Assert.Equal(0, await onThailand.Locator("button[data-action='accept']").CountAsync().WithTimeout());
        await onThailand.Locator("button[data-stance='Support']").ClickAsync().WithTimeout();
        await Expect(onThailand.Locator("button[data-stance='Support']")).ToHaveAttributeAsync("aria-pressed", "true").WithTimeout();

        // Malaysia, the pen-holder, sees the support live and accepts.
        var onMalaysia = malaysia.Locator("#paragraphs li[data-number='OP1'] article.amendment[data-author='SG']");
        await Expect(onMalaysia).ToContainTextAsync("Supported by Thailand").WithTimeout();
        await onMalaysia.Locator("button[data-action='accept']").ClickAsync().WithTimeout();
        // The click only sends the acceptance: until the server has applied it, the pages and the
        // server agree on the text before it.
        await TestTimeouts.UntilAsync(
            async () => (await ServerProposal(id))["text"]!.GetValue<string>().Contains("Member States shall exchange information", StringComparison.Ordinal),
            "the accepted amendment in the server's text");

        // Every page shows the accepted text, attributed to Singapore.
        var text = await Converged(id, malaysia, singapore, thailand);
        Assert.Contains("Member States shall exchange information", text, StringComparison.Ordinal);
        foreach (var page in new[] { singapore, malaysia })
        {
            var card = page.Locator("#paragraphs article.amendment[data-author='SG']");
            await Expect(card).ToHaveAttributeAsync("data-status", "Accepted").WithTimeout();
            await Expect(card).ToContainTextAsync("as Singapore’s edit").WithTimeout();
            await page.Locator("#tab-versions").ClickAsync().WithTimeout();
            var circulated = page.Locator("#versions li", new() { HasText = "as circulated on" });
            await circulated.GetByRole(AriaRole.Button, new() { Name = "Compare with the current draft" }).ClickAsync().WithTimeout();
            await Expect(page.Locator("#diff-summary")).ToContainTextAsync("to the current draft").WithTimeout();
            await Expect(page.Locator("#diff ins[data-by='SG']")).ToHaveTextAsync("shall").WithTimeout();
            await Expect(page.Locator("#diff del[data-by='SG']")).ToHaveTextAsync("should").WithTimeout();
            await page.Locator("#tab-history").ClickAsync().WithTimeout();
            var audit = page.Locator("#audit");
            await Expect(audit).ToContainTextAsync("Singapore tabled an amendment to operative paragraph 1").WithTimeout();
            await Expect(audit).ToContainTextAsync("Thailand supported Singapore’s amendment to operative paragraph 1").WithTimeout();
            await Expect(audit).ToContainTextAsync("Malaysia accepted Singapore’s amendment to operative paragraph 1").WithTimeout();
        }
        await malaysia.ScreenshotAsync(new() { Path = ScreenshotPath("proposal-amendment-accepted"), FullPage = true }).WithTimeout();
    }
}
