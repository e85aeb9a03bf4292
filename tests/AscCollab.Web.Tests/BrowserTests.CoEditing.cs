using AscCollab.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AscCollab.Web.Tests;

public sealed partial class BrowserTests
{
    [Fact]
    public async Task Two_delegations_typing_at_once_end_with_the_servers_text()
    {
        using var my = await _server.ClientFor("MY");
        var id = await CreateProposal(my, "Maritime early warning", "Draft: the Parties agree.");
        var (_, malaysia) = await SignIn("MY");
        var (_, singapore) = await SignIn("SG");
        await OpenProposal(malaysia, id);
        await OpenProposal(singapore, id);
        var mine = malaysia.Locator("#proposal-text");
        var theirs = singapore.Locator("#proposal-text");

        // Round 1: at opposite ends, at the same time.
        await mine.FocusAsync().WithTimeout();
        await malaysia.Keyboard.PressAsync("Control+End").WithTimeout();
        await theirs.FocusAsync().WithTimeout();
        await singapore.Keyboard.PressAsync("Control+Home").WithTimeout();
        await Task.WhenAll(
            mine.PressSequentiallyAsync(" MY-alpha-beta", new() { Delay = 15 }),
            theirs.PressSequentiallyAsync("SG-gamma-delta ", new() { Delay = 15 })).WithTimeout();

        // Round 2: both at the same place in the middle, deleting and inserting. The carets are
        // placed by counting characters, so round 1 must have reached both pages first: a
        // character of the other's still arriving at the start moves the count (a user would see it).
        await Converged(id, malaysia, singapore);
        await Task.WhenAll(PlaceAfter(malaysia, "Draft:"), PlaceAfter(singapore, "Draft:")).WithTimeout();
        await Task.WhenAll(
            TypeWithDelete(malaysia, " [MY-one]"),
            TypeWithDelete(singapore, " [SG-two]")).WithTimeout();

        var text = await Converged(id, malaysia, singapore);
        foreach (var part in new[] { "MY-alpha-beta", "SG-gamma-delta", "[MY-on", "[SG-tw", "the Parties agree" })
        {
            Assert.True(Occurrences(text, part) == 1, $"'{part}' should be in the text once: {text}");
        }
        await Expect(malaysia.Locator("#proposal-text")).ToHaveAttributeAsync("data-revision", (await ServerProposal(id))["revision"]!.ToString()).WithTimeout();
    }

    /// <summary>Puts the caret right after <paramref name="marker"/> using the keyboard only.</summary>
    private static async Task PlaceAfter(IPage page, string marker)
    {
        var area = page.Locator("#proposal-text");
        await area.FocusAsync();
        var text = await area.InputValueAsync();
        var at = text.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        await page.Keyboard.PressAsync("Control+Home");
        for (var i = 0; i < at; i++)
        {
            await page.Keyboard.PressAsync("ArrowRight");
        }
    }

    /// <summary>Types, deletes the last character with Backspace, types it again: inserts and deletes interleave with the other page.</summary>
    private static async Task TypeWithDelete(IPage page, string text)
    {
        var area = page.Locator("#proposal-text");
        await area.PressSequentiallyAsync(text, new() { Delay = 15 });
        await page.Keyboard.PressAsync("Backspace");
        await area.PressSequentiallyAsync(text[^1..], new() { Delay = 15 });
    }
}
