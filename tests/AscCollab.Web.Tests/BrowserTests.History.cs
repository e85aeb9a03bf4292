using System.Text.RegularExpressions;
using AscCollab.Testing;
using static Microsoft.Playwright.Assertions;

namespace AscCollab.Web.Tests;

/// <summary>
/// History and versions in people's words: the audit trail under a History tab, hashes on demand,
/// versions named instead of revision numbers, and from a stale sign-off one click to what changed.
/// </summary>
public sealed partial class BrowserTests
{
    private static readonly Regex RevisionNumber = new(@"\brev(?:ision|\.)\s*\d", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    [Fact]
    public async Task The_history_tab_tells_what_happened_in_words_and_a_stale_sign_off_is_one_click_from_what_changed()
    {
        using var my = await _server.ClientFor("MY");
        var id = await CreateProposal(my, "Joint search and rescue drills", "Members hold a yearly drill.");
        await Circulate(id);

        var (_, malaysia) = await SignIn("MY");
        var (_, thailand) = await SignIn("TH");
        await OpenProposal(malaysia, id);
        await OpenProposal(thailand, id);
        // The button names the version, never a revision number.
        await Expect(malaysia.Locator("#signoff-submit")).ToContainTextAsync("Sign off on the version as circulated on").WithTimeout();
        await malaysia.Locator("#position-Concur").CheckAsync().WithTimeout();
        await malaysia.Locator("#signoff-submit").ClickAsync().WithTimeout();
        await Expect(thailand.Locator("#sign-offs tr[data-member='MY']")).ToHaveAttributeAsync("data-position", "Concur").WithTimeout();

        var area = thailand.Locator("#proposal-text");
        await area.FocusAsync().WithTimeout();
        await thailand.Keyboard.PressAsync("Control+End").WithTimeout();
        await area.PressSequentiallyAsync(" In the dry season.", new() { Delay = 10 }).WithTimeout();
        await Converged(id, thailand, malaysia);
        await Expect(malaysia.Locator("#sign-offs tr[data-member='MY']")).ToHaveAttributeAsync("data-stale", "true").WithTimeout();

        // The History tab, in words: who did what, on which version; no hash until asked.
        var audit = malaysia.Locator("#audit");
        await Expect(malaysia.Locator("#tab-history")).ToHaveAttributeAsync("aria-selected", "true").WithTimeout();
        await Expect(audit).ToContainTextAsync("Malaysia proposed “Joint search and rescue drills”").WithTimeout();
        await Expect(audit).ToContainTextAsync($"{NameOfChair} (Chair) circulated the proposal for sign-off").WithTimeout();
        await Expect(audit).ToContainTextAsync("Malaysia signed off (concur) on the version as circulated on").WithTimeout();
        await Expect(audit).ToContainTextAsync("Thailand edited the text").WithTimeout();
        await Expect(audit).ToContainTextAsync("the sign-offs of Malaysia were on earlier text").WithTimeout();
        Assert.Equal(0, await audit.Locator(".hash").CountAsync().WithTimeout());
        var page = await malaysia.Locator("main").InnerTextAsync().WithTimeout();
        Assert.DoesNotMatch(RevisionNumber, page);
        Assert.DoesNotMatch("[0-9a-f]{16}", page);
        await malaysia.Locator("#show-hashes").CheckAsync().WithTimeout();
        await Expect(audit.Locator(".hash").First).ToBeVisibleAsync().WithTimeout();
        await malaysia.Locator("#show-hashes").UncheckAsync().WithTimeout();
        await Expect(audit.Locator(".hash")).ToHaveCountAsync(0).WithTimeout();

        // Keyboard: arrows move between the tabs.
        await malaysia.Locator("#tab-history").FocusAsync().WithTimeout();
        await malaysia.Keyboard.PressAsync("ArrowRight").WithTimeout();
        await Expect(malaysia.Locator("#tab-versions")).ToBeFocusedAsync().WithTimeout();
        await Expect(malaysia.Locator("#compare")).ToBeVisibleAsync().WithTimeout();
        await Expect(malaysia.Locator("#audit-trail")).ToBeHiddenAsync().WithTimeout();
        await malaysia.Keyboard.PressAsync("ArrowLeft").WithTimeout();
        await Expect(malaysia.Locator("#audit-trail")).ToBeVisibleAsync().WithTimeout();

        // "Your sign-off is stale" → one click shows what changed since, attributed to Thailand.
        await Expect(malaysia.Locator("#signoff-submit")).ToHaveTextAsync("Renew on the current draft").WithTimeout();
        await malaysia.Locator("#changed-since-sign-off").ClickAsync().WithTimeout();
        await Expect(malaysia.Locator("#compare")).ToBeVisibleAsync().WithTimeout();
        var inserted = malaysia.Locator("#diff ins[data-by='TH']");
        await Expect(inserted).ToHaveTextAsync(" In the dry season.").WithTimeout();
        await Expect(inserted).ToHaveAttributeAsync("title", "Inserted by Thailand").WithTimeout();
        await Expect(malaysia.Locator("#diff-summary")).ToContainTextAsync("From the version as circulated on").WithTimeout();
        await Expect(malaysia.Locator("#diff-summary")).ToContainTextAsync("to the current draft").WithTimeout();
        await Expect(malaysia.Locator("#diff-heading")).ToBeFocusedAsync().WithTimeout();
        await Expect(malaysia.Locator("#versions")).ToContainTextAsync("The version as circulated on").WithTimeout();
        Assert.DoesNotMatch(RevisionNumber, await malaysia.Locator("main").InnerTextAsync().WithTimeout());
        await malaysia.ScreenshotAsync(new() { Path = ScreenshotPath("proposal-history-compare"), FullPage = true }).WithTimeout();
    }

    private static string NameOfChair => AscCollabApp.Chair switch
    {
        "SG" => "Singapore",
        "PH" => "Philippines",
        _ => AscCollabApp.Chair,
    };
}
