using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AscCollab.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AscCollab.Web.Tests;

/// <summary>The first hour (issue 14): signing in, finding one's way, and pages that say what is so.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task The_sign_in_page_names_the_chair_and_offers_chair_only_with_the_member_holding_it()
    {
        var (page, warnings) = await NewPage();
        await page.GotoAsync("/#/signin").WithTimeout();
        // The test server pins the chairmanship to Singapore.
        await Expect(page.Locator("#signin-chair")).ToContainTextAsync("Singapore (SG) holds the ASEAN chairmanship now").WithTimeout();
        await Expect(page.Locator("#signin-as-chair")).ToHaveTextAsync("Sign in as the Chair (Singapore)").WithTimeout();

        await page.Locator("#signin-member").SelectOptionAsync("MY").WithTimeout();
        await Expect(page.Locator("#signin-role-chair")).ToBeDisabledAsync().WithTimeout();
        await Expect(page.Locator("#signin-role-chair")).ToContainTextAsync("only Singapore (SG)").WithTimeout();
        await page.Locator("#signin-member").SelectOptionAsync(AscCollabApp.Chair).WithTimeout();
        await Expect(page.Locator("#signin-role-chair")).ToBeEnabledAsync().WithTimeout();
        await page.Locator("#signin-role").SelectOptionAsync("chair").WithTimeout();
        // Back to a member without the chairmanship: the role falls back to Delegate.
        await page.Locator("#signin-member").SelectOptionAsync("BN").WithTimeout();
        await Expect(page.Locator("#signin-role")).ToHaveValueAsync("delegate").WithTimeout();

        await page.Locator("#signin-as-chair").ClickAsync().WithTimeout();
        await Expect(page.Locator("#signed-in-as")).ToHaveTextAsync(new Regex($"^{AscCollabApp.Chair} · chair$")).WithTimeout();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Chair dashboard").WithTimeout();
        await Expect(page.Locator("#manage-proposal")).ToBeVisibleAsync().WithTimeout();
        Assert.True(warnings.Count == 0, string.Join("\n", warnings));
    }

    [Fact]
    public async Task A_link_opened_in_a_new_tab_is_signed_in_and_signing_out_signs_out_every_tab()
    {
        using var my = await _server.ClientFor("MY");
        var id = await CreateProposal(my, "Liaison officers' network " + Guid.NewGuid().ToString("N")[..6], "Members name liaison officers.");
        var (context, first) = await SignIn("MY");

        var second = await context.NewPageAsync().WithTimeout();
        await OpenProposal(second, id);
        await Expect(second.Locator("#signed-in-as")).ToHaveTextAsync(new Regex("^MY · delegate$")).WithTimeout();

        await first.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync().WithTimeout();
        await Expect(second).ToHaveURLAsync(new Regex("#/signin$")).WithTimeout();
        await Expect(second.Locator("#signed-in-as")).ToHaveCountAsync(0).WithTimeout();
        await Expect(second.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "signed-out").WithTimeout();
    }

    [Fact]
    public async Task The_secretariat_sees_its_own_dashboard_and_no_chair_control()
    {
        using var my = await _server.ClientFor("MY");
        var id = await CreateProposal(my, "Exchange of defence white papers " + Guid.NewGuid().ToString("N")[..6], "Members exchange their white papers.");
        var (_, secretariat) = await SignIn("MY", "secretariat");
        var nav = secretariat.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(nav).ToContainTextAsync("Secretariat dashboard").WithTimeout();
        await Expect(nav).Not.ToContainTextAsync("Chair").WithTimeout();

        await secretariat.GotoAsync("/#/dashboard").WithTimeout();
        await Expect(secretariat.Locator("h1")).ToHaveTextAsync("Secretariat dashboard").WithTimeout();
        await Expect(secretariat.Locator($"#matrix tr[data-proposal='{id}']")).ToBeVisibleAsync().WithTimeout();
        Assert.Equal(0, await secretariat.Locator("#manage-proposal, #manage, #group-id").CountAsync().WithTimeout());
        Assert.Equal(0, await secretariat.GetByRole(AriaRole.Button, new() { Name = "Circulate" }).CountAsync().WithTimeout());
        await Expect(secretariat.Locator("main")).Not.ToContainTextAsync("Circulate").WithTimeout();

        await OpenProposal(secretariat, id);
        await Expect(secretariat.Locator("#workflow")).ToBeHiddenAsync().WithTimeout();
        Assert.Equal(0, await secretariat.Locator("#workflow button, #sign-offs button").CountAsync().WithTimeout());
    }

    [Fact]
    public async Task A_delegation_picks_the_group_to_propose_in_from_its_own_groups()
    {
        var group = "wg-" + Guid.NewGuid().ToString("N")[..8];
        var name = "Working group on cyber norms " + group;
        using (var chairClient = await _server.ClientFor(AscCollabApp.Chair, "chair"))
        {
            var response = await chairClient.PostAsJsonAsync("/api/groups", new
            {
                id = group, name, mandate = "Draft norms of responsible state behaviour in cyberspace.", coordinator = "MY",
                activities = new[] { Activity }, participants = new[] { "MY", "SG", "ID" },
            }).WithTimeout();
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var (_, thailand) = await SignIn("TH");
        await Expect(thailand.Locator("#new-group option[value='']")).ToHaveCountAsync(1).WithTimeout();
        Assert.Equal(0, await thailand.Locator($"#new-group option[value='{group}']").CountAsync().WithTimeout());

        var (_, malaysia) = await SignIn("MY");
        var picker = malaysia.Locator("#new-group");
        await Expect(picker.Locator($"option[value='{group}']")).ToHaveTextAsync(name).WithTimeout();
        Assert.Equal("select", await picker.EvaluateAsync<string>("e => e.tagName.toLowerCase()").WithTimeout());
        var title = "Cyber norms: points of contact " + group;
        await malaysia.Locator("#new-title-input").FillAsync(title).WithTimeout();
        await picker.SelectOptionAsync(group).WithTimeout();
        await malaysia.GetByRole(AriaRole.Button, new() { Name = "Propose", Exact = true }).ClickAsync().WithTimeout();
        await Expect(malaysia.Locator("#proposal-title")).ToHaveTextAsync(title).WithTimeout();
        var id = Regex.Match(malaysia.Url, "#/proposals/([\\w-]+)$").Groups[1].Value;
        Assert.Equal(group, (await ServerProposal(id))["summary"]!["group"]!.GetValue<string>());

        await malaysia.GotoAsync("/#/").WithTimeout();
        await Expect(picker.Locator($"option[value='{group}']")).ToHaveCountAsync(1).WithTimeout();
        await Expect(malaysia.Locator("#new-title-input")).ToHaveValueAsync("").WithTimeout();
        await Expect(picker).ToHaveValueAsync("").WithTimeout();
    }

    [Fact]
    public async Task After_adoption_the_chairs_panel_says_adopted_and_the_workflow_card_stays_in_view()
    {
        using var my = await _server.ClientFor("MY");
        var id = await CreateProposal(my, "Regional maritime domain awareness " + Guid.NewGuid().ToString("N")[..6], "Members share maritime domain awareness.");
        using (var chairClient = await _server.ClientFor(AscCollabApp.Chair, "chair"))
        {
            var response = await chairClient.PostAsJsonAsync($"/api/proposals/{id}/circulate", new { rule = "NoObjection", quorum = 1 }).WithTimeout();
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        var (_, chair) = await SignIn(AscCollabApp.Chair, "chair");
        await OpenProposal(chair, id);
        await chair.Locator("#position-Concur").CheckAsync().WithTimeout();
        await chair.Locator("#signoff-submit").ClickAsync().WithTimeout();
        var occasion = chair.Locator($"#wf-{id}-occasion");
        await Expect(occasion).ToBeVisibleAsync().WithTimeout();

        var workflow = chair.Locator("#workflow");
        // Room below the page, so that how long the history column happens to be cannot decide
        // whether the window may stay where it was (a short page clamps the scroll at its end).
        await chair.EvaluateAsync("() => { document.body.style.paddingBottom = '2000px'; }").WithTimeout();
        await workflow.ScrollIntoViewIfNeededAsync().WithTimeout();
        var before = (await workflow.BoundingBoxAsync().WithTimeout())!.Y;
        await occasion.FillAsync("59th ASEAN Ministerial Meeting").WithTimeout();
        await workflow.GetByRole(AriaRole.Button, new() { Name = "Record adoption" }).ClickAsync().WithTimeout();

        await Expect(chair.Locator("#proposal-title + .meta")).ToContainTextAsync("Adopted").WithTimeout();
        await Expect(chair.Locator($"#sign-offs tr[data-member='{AscCollabApp.Chair}']")).ToHaveAttributeAsync("data-position", "Concur").WithTimeout();
        await Expect(chair.Locator("#no-signoff")).ToContainTextAsync("Adopted: the positions above are final").WithTimeout();
        await Expect(chair.Locator("#sign-offs")).Not.ToContainTextAsync("not a participant").WithTimeout();
        await Expect(chair.Locator("#workflow-result")).ToHaveTextAsync("Adoption: done.").WithTimeout();
        // The card just used is where it was on screen, not scrolled away under the audit trail.
        await chair.EvaluateAsync("() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))").WithTimeout();
        var after = (await workflow.BoundingBoxAsync().WithTimeout())!.Y;
        Assert.True(Math.Abs(after - before) <= 2, $"the workflow card moved on screen from y={before} to y={after}");
    }

    [Fact]
    public async Task The_chairs_page_takes_every_push_without_a_console_warning()
    {
        using var my = await _server.ClientFor("MY");
        var id = await CreateProposal(my, "Early warning of transnational crime " + Guid.NewGuid().ToString("N")[..6], "Members share early warnings.");
        var (page, warnings) = await NewPage();
        await page.GotoAsync("/#/signin").WithTimeout();
        await page.Locator("#signin-as-chair").ClickAsync().WithTimeout();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Chair dashboard").WithTimeout();
        await Expect(page.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "connected").WithTimeout();
        // Every push that reaches the page's Live, whether a view listens or not.
        await page.EvaluateAsync("() => { const live = window.asccollab.live; const emit = live.emit.bind(live); window.pushes = []; live.emit = (e, m) => { window.pushes.push(e); emit(e, m); }; }").WithTimeout();

        // Circulating puts it on the Chair's own to-do: ToDoChanged reaches the dashboard, which shows no to-do.
        await Circulate(id);
        await Expect(page.Locator($"#matrix tr[data-proposal='{id}']")).ToContainTextAsync("Under Consideration").WithTimeout();
        await page.WaitForFunctionAsync("() => window.pushes.includes('ToDoChanged')").WithTimeout();
        await OpenProposal(page, id);
        await page.Locator("#position-Concur").CheckAsync().WithTimeout();
        await page.Locator("#signoff-submit").ClickAsync().WithTimeout();
        await Expect(page.Locator($"#sign-offs tr[data-member='{AscCollabApp.Chair}']")).ToHaveAttributeAsync("data-position", "Concur").WithTimeout();
        await page.WaitForFunctionAsync("() => window.pushes.filter((e) => e === 'ToDoChanged').length >= 2").WithTimeout();
        Assert.True(warnings.Count == 0, string.Join("\n", warnings));
    }

    /// <summary>A signed-out page in a context of its own, with every console warning and error it logs.</summary>
    private async Task<(IPage Page, List<string> Warnings)> NewPage()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _server.BaseUrl!.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        }).WithTimeout();
        _contexts.Add(context);
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync().WithTimeout();
        var warnings = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "warning" or "error")
            {
                lock (warnings)
                {
                    warnings.Add($"{message.Type}: {message.Text}");
                }
            }
        };
        return (page, warnings);
    }
}
