using AscCollab.Testing;
using static Microsoft.Playwright.Assertions;

namespace AscCollab.Web.Tests;

public sealed partial class BrowserTests
{
    [Fact]
    public async Task Edits_typed_offline_land_once_after_coming_back()
    {
        using var my = await _server.ClientFor("MY");
        var id = await CreateProposal(my, "Regional legal framework on cybercrime", "Article 1.");
        var (context, malaysia) = await SignIn("MY");
        var (_, singapore) = await SignIn("SG");
        await OpenProposal(malaysia, id);
        await OpenProposal(singapore, id);

        await context.SetOfflineAsync(true).WithTimeout();
        var status = malaysia.Locator("#connection-status");
        await Expect(status).ToHaveAttributeAsync("data-state", "offline").WithTimeout();

        var area = malaysia.Locator("#proposal-text");
        await area.FocusAsync().WithTimeout();
        await malaysia.Keyboard.PressAsync("Control+End").WithTimeout();
        await area.PressSequentiallyAsync(" offline-one", new() { Delay = 10 }).WithTimeout();
        await area.PressSequentiallyAsync(" offline-two", new() { Delay = 10 }).WithTimeout();
        await Expect(status).ToContainTextAsync("queued").WithTimeout();
        Assert.NotEqual("0", await status.GetAttributeAsync("data-queued").WithTimeout());

        // Meanwhile Singapore, online, edits the same text.
        var theirs = singapore.Locator("#proposal-text");
        await theirs.FocusAsync().WithTimeout();
        await singapore.Keyboard.PressAsync("Control+Home").WithTimeout();
        await theirs.PressSequentiallyAsync("SG-online ", new() { Delay = 10 }).WithTimeout();
        await Saved(singapore);

        await context.SetOfflineAsync(false).WithTimeout();
        var text = await Converged(id, malaysia, singapore);
        Assert.Equal(1, Occurrences(text, " offline-one offline-two"));
        Assert.Equal(1, Occurrences(text, "SG-online "));
        Assert.Equal("SG-online Article 1. offline-one offline-two", text);
    }

    [Fact]
    public async Task A_connection_dropped_while_typing_resubmits_each_edit_exactly_once()
    {
        using var my = await _server.ClientFor("MY");
        var id = await CreateProposal(my, "Confidence building: exchange of defence white papers", "Exchange.");
        var (_, malaysia) = await SignIn("MY");
        var (_, singapore) = await SignIn("SG");
        await OpenProposal(malaysia, id);
        await OpenProposal(singapore, id);

        var area = malaysia.Locator("#proposal-text");
        await area.FocusAsync().WithTimeout();
        await malaysia.Keyboard.PressAsync("Control+End").WithTimeout();
        var typing = area.PressSequentiallyAsync(" abcdefghijklmnopqrstuvwxyz", new() { Delay = 20 });
        // Drop the SignalR connection under the typing, twice: edits in flight lose their acks.
        for (var drop = 0; drop < 2; drop++)
        {
            await Task.Delay(150);
            await malaysia.EvaluateAsync("() => window.asccollab.live.connection?.stop()").WithTimeout();
        }
        await typing.WithTimeout();
        var theirs = singapore.Locator("#proposal-text");
        await theirs.FocusAsync().WithTimeout();
        await singapore.Keyboard.PressAsync("Control+Home").WithTimeout();
        await theirs.PressSequentiallyAsync(">> ", new() { Delay = 10 }).WithTimeout();

        var text = await Converged(id, malaysia, singapore);
        Assert.Equal(">> Exchange. abcdefghijklmnopqrstuvwxyz", text);
    }
}
