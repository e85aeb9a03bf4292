using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AscCollab.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AscCollab.Web.Tests;

/// <summary>
/// A delegate's first hour: the proposal page on a phone, refusals in words, names instead of ids.
/// </summary>
public sealed partial class BrowserTests
{
    /// <summary>A raw error code (docs/api.md, docs/hub.md) or the hub's "code:" prefix.</summary>
    private static readonly Regex RawCode = new(@"\b[a-z]+_[a-z]+(?:_[a-z]+)*\b|\b(?:forbidden|locked|conflict|unavailable|internal|unauthorized):", RegexOptions.CultureInvariant);

    [Fact]
    public async Task On_a_phone_the_proposal_page_shows_the_editor_first_with_the_rest_folded_and_no_sideways_scroll()
    {
        using var my = await _server.ClientFor("MY");
        var text = string.Join("\n", Enumerable.Range(1, 8).Select(i => $"{i}. Members nominate eminent persons and experts for the ASEAN register, who serve for three years."));
        var id = await CreateProposal(my, "Preventive diplomacy: a register of eminent persons and experts available to the Chair", text);
        await Circulate(id);
        // Sign-offs put hashes into the audit trail (the text's sha256).
        var revision = (await ServerProposal(id))["revision"]!.GetValue<long>();
        foreach (var member in new[] { "MY", "ID", "VN" })
        {
            using var delegation = await _server.ClientFor(member);
            var signed = await delegation.PutAsJsonAsync($"/api/proposals/{id}/sign-offs/{member}", new { position = "Concur", revision }).WithTimeout();
            Assert.True(signed.IsSuccessStatusCode, await signed.Content.ReadAsStringAsync());
        }

        var (_, phone) = await SignIn("TH", width: 390, height: 844);
        await OpenProposal(phone, id);
        await Expect(phone.Locator("#proposal-activity")).Not.ToContainTextAsync("…").WithTimeout();
        await Expect(phone.Locator("#sign-offs tr[data-member='VN']")).ToHaveAttributeAsync("data-position", "Concur").WithTimeout();

        var folded = await Layout(phone);
        Assert.True(folded.ScrollWidth <= folded.InnerWidth, $"the page scrolls sideways: {folded.ScrollWidth} px in a {folded.InnerWidth} px window");
        Assert.True(folded.EditorTop >= 0 && folded.EditorBottom <= folded.InnerHeight,
            $"the editor is not in view without scrolling: {folded.EditorTop}..{folded.EditorBottom} px in a {folded.InnerHeight} px window");
        foreach (var fold in new[] { "#sign-offs", "#history-card" })
        {
            Assert.False(await phone.Locator(fold).EvaluateAsync<bool>("d => d.open").WithTimeout(), $"{fold} is folded on a phone");
        }
        await Expect(phone.Locator("#sign-offs > summary")).ToContainTextAsync("3 of 10 concur").WithTimeout();
        Assert.True(folded.Height <= 3 * folded.InnerHeight, $"the folded page is {folded.Height} px tall");
        await phone.ScreenshotAsync(new() { Path = ScreenshotPath("narrow-proposal-folded"), FullPage = true }).WithTimeout();

        // Unfolded: still no sideways scroll; hashes are short, with the full value in the title.
        foreach (var fold in new[] { "#sign-offs", "#history-card" })
        {
            await phone.Locator($"{fold} > summary").ClickAsync().WithTimeout();
        }
        // History in words; hashes on demand.
        await Expect(phone.Locator("#audit")).ToContainTextAsync("signed off (concur) on the version as circulated on").WithTimeout();
        Assert.Equal(0, await phone.Locator("#audit .hash").CountAsync().WithTimeout());
        await phone.Locator("#show-hashes").CheckAsync().WithTimeout();
        var hash = phone.Locator("#audit .hash").First;
        await Expect(hash).ToBeVisibleAsync().WithTimeout();
        Assert.Matches("^[0-9a-f]{64}$", await hash.GetAttributeAsync("title").WithTimeout());
        Assert.True((await hash.InnerTextAsync().WithTimeout()).Length <= 11, "a hash is shown truncated");
        var open = await Layout(phone);
        Assert.True(open.ScrollWidth <= open.InnerWidth, $"unfolded, the page scrolls sideways: {open.ScrollWidth} px in a {open.InnerWidth} px window");
        await phone.ScreenshotAsync(new() { Path = ScreenshotPath("narrow-proposal-unfolded"), FullPage = true }).WithTimeout();
    }

    [Fact]
    public async Task Refusals_reach_the_delegate_in_words_and_never_as_codes()
    {
        using var my = await _server.ClientFor("MY");
        var draft = await CreateProposal(my, "Register of maritime liaison points (draft)", "Each member names a liaison point.");
        var (_, malaysia) = await SignIn("MY");
        await OpenProposal(malaysia, draft);

        // A draft: no sign-off form (the server would refuse it), and why.
        await Expect(malaysia.Locator("#no-signoff")).ToContainTextAsync("Not yet circulated").WithTimeout();
        Assert.Equal(0, await malaysia.Locator("#signoff-form").CountAsync().WithTimeout());
        // A crafted call does it anyway: the client's error has the code for decisions, words for people.
        var refused = await malaysia.EvaluateAsync<JsonElementResult>(
            """
            async ([id]) => {
              try {
                await window.asccollab.live.invoke('SignOff', id, 'Concur', null, 0);
                return { status: 200, code: 'accepted' };
              } catch (e) {
                return { status: 0, code: `${e.code}|${e.message}` };
              }
            }
            """, new object[] { draft }).WithTimeout();
        var (code, words) = (refused.Code.Split('|')[0], refused.Code.Split('|')[1]);
        Assert.Equal("invalid_transition", code);
        Assert.DoesNotMatch(RawCode, words);
        Assert.DoesNotContain("Drafting", words, StringComparison.Ordinal);

        // Circulated: a sign-off on an old revision (crafted) is refused as stale, in words.
        // (A revision ahead of the server's is refused as revision_lost, not stale: the crafted one is behind.)
        var id = await CreateProposal(my, "Register of maritime liaison points", "Each member names a liaison point.");
        var edited = await my.PostAsJsonAsync($"/api/proposals/{id}/edits", new { baseRevision = 0, op = new object[] { "Draft: " } }).WithTimeout();
        Assert.True(edited.IsSuccessStatusCode, await edited.Content.ReadAsStringAsync());
        await Circulate(id);
        await OpenProposal(malaysia, id);
        var message = malaysia.Locator("#signoff-form [role='alert']");
        await malaysia.EvaluateAsync("() => { window.asccollab.doc.revision -= 1; }").WithTimeout();
        await malaysia.Locator("#position-Concur").CheckAsync().WithTimeout();
        await malaysia.Locator("#signoff-submit").ClickAsync().WithTimeout();
        await Expect(message).ToContainTextAsync("The text has changed in the meantime").WithTimeout();
        Assert.DoesNotMatch(RawCode, await malaysia.Locator("body").InnerTextAsync().WithTimeout());
        await malaysia.EvaluateAsync("() => { window.asccollab.doc.revision += 1; }").WithTimeout();
        await malaysia.Locator("#signoff-submit").ClickAsync().WithTimeout();
        await Expect(malaysia.Locator("#sign-offs tr[data-member='MY']")).ToHaveAttributeAsync("data-position", "Concur").WithTimeout();

        // Withdrawing the position, rewritten on the wire to Singapore's: forbidden, in words.
        await malaysia.RouteAsync("**/sign-offs/MY", route => route.ContinueAsync(new() { Url = route.Request.Url.Replace("/sign-offs/MY", "/sign-offs/SG", StringComparison.Ordinal) })).WithTimeout();
        await malaysia.Locator("#signoff-withdraw").ClickAsync().WithTimeout();
        await Expect(message).ToContainTextAsync("do not allow this").WithTimeout();
        await malaysia.UnrouteAllAsync().WithTimeout();
        Assert.DoesNotMatch(RawCode, await malaysia.Locator("body").InnerTextAsync().WithTimeout());

        // The Chair circulates the draft with a deadline already past: invalid_input, in words.
        var (_, chair) = await SignIn(AscCollabApp.Chair, "chair");
        await OpenProposal(chair, draft);
        var past = DateTime.UtcNow.AddDays(-2).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
        await chair.Locator($"#wf-{draft}-deadline").FillAsync(past).WithTimeout();
        await chair.Locator("#workflow").GetByRole(AriaRole.Button, new() { Name = "Circulate", Exact = true }).ClickAsync().WithTimeout();
        await Expect(chair.Locator("#workflow [role='alert']")).ToContainTextAsync("The deadline must be in the future").WithTimeout();
        Assert.DoesNotMatch(RawCode, await chair.Locator("body").InnerTextAsync().WithTimeout());
    }

    [Fact]
    public async Task Pages_name_activities_groups_and_members_instead_of_showing_their_ids()
    {
        var group = "liaison-" + Guid.NewGuid().ToString("N")[..8];
        var groupName = "Working group on maritime liaison " + group[^4..];
        using (var chairClient = await _server.ClientFor(AscCollabApp.Chair, "chair"))
        {
            var response = await chairClient.PostAsJsonAsync("/api/groups", new
            {
                id = group,
                name = groupName,
                mandate = "Prepare a register of maritime liaison points.",
                coordinator = "TH",
                activities = new[] { Activity },
                participants = new[] { "ID", "KH", "MM", "MY", "SG", "TH" },
            }).WithTimeout();
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        using var my = await _server.ClientFor("MY");
        var activities = JsonNode.Parse(await my.GetStringAsync("/api/activities").WithTimeout())!.AsArray();
        var activityTitle = activities.First(a => a!["id"]!.GetValue<string>() == Activity)!["title"]!.GetValue<string>();
        var created = await my.PostAsJsonAsync("/api/proposals", new { activity = Activity, title = "Maritime liaison points", text = "Each member names one.", group }).WithTimeout();
        Assert.True((int)created.StatusCode == 201, await created.Content.ReadAsStringAsync());
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        var circulated = await CreateProposal(my, "Hotline between defence ministries", "Members set up a hotline.");
        await Circulate(circulated);

        var (_, malaysia) = await SignIn("MY");
        await OpenProposal(malaysia, id);
        await Expect(malaysia.Locator("#proposal-activity")).ToHaveTextAsync($"Activity: {activityTitle}").WithTimeout();
        await Expect(malaysia.Locator(".meta")).ToContainTextAsync(groupName).WithTimeout();
        await Expect(malaysia.Locator(".meta")).ToContainTextAsync("proposed by Malaysia").WithTimeout();
        // The secretariat opens it too: Malaysia's page names it.
        var (_, secretariat) = await SignIn("MY", "secretariat");
        await OpenProposal(secretariat, id);
        await Expect(malaysia.Locator("#presence")).ToContainTextAsync("ASEAN Secretariat").WithTimeout();
        Assert.DoesNotContain("ASEC", await malaysia.Locator("#presence").InnerTextAsync().WithTimeout(), StringComparison.Ordinal);
        await Expect(malaysia.Locator("#audit")).ToContainTextAsync(activityTitle).WithTimeout();
        var page = await malaysia.Locator("body").InnerTextAsync().WithTimeout();
        Assert.DoesNotContain(Activity, page, StringComparison.Ordinal);
        Assert.DoesNotContain(group, page, StringComparison.Ordinal);

        // The group's page: activity titles, participants in the order of their names.
        await malaysia.GotoAsync($"/#/groups/{group}").WithTimeout();
        await Expect(malaysia.Locator("#group-activities")).ToHaveTextAsync(activityTitle).WithTimeout();
        await Expect(malaysia.Locator("#group-participants")).ToHaveTextAsync(
            "Cambodia (KH), Indonesia (ID), Malaysia (MY), Myanmar (MM), Singapore (SG), Thailand (TH)").WithTimeout();
        Assert.DoesNotContain(Activity, await malaysia.Locator("main").InnerTextAsync().WithTimeout(), StringComparison.Ordinal);

        // The Chair's proposal picker: statuses in words.
        var (_, chair) = await SignIn(AscCollabApp.Chair, "chair");
        var option = chair.Locator($"#manage-proposal option[value='{circulated}']");
        await Expect(option).ToHaveTextAsync("Hotline between defence ministries (under consideration)").WithTimeout();
        Assert.DoesNotContain("UnderConsideration", await chair.Locator("#manage-proposal").InnerTextAsync().WithTimeout(), StringComparison.Ordinal);
    }

    private static Task<PhoneLayout> Layout(IPage page) => page.EvaluateAsync<PhoneLayout>(
        """
        () => {
          const editor = document.getElementById('proposal-text').getBoundingClientRect();
          return { scrollWidth: document.scrollingElement.scrollWidth, innerWidth, innerHeight,
            editorTop: Math.round(editor.top), editorBottom: Math.round(editor.bottom), height: document.scrollingElement.scrollHeight };
        }
        """).WithTimeout();

    /// <summary>The page's layout, measured by its own script.</summary>
    public sealed class PhoneLayout
    {
        public int ScrollWidth { get; set; }

        public int InnerWidth { get; set; }

        public int InnerHeight { get; set; }

        public int EditorTop { get; set; }

        public int EditorBottom { get; set; }

        public int Height { get; set; }
    }
}
