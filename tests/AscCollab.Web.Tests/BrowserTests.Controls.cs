using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AscCollab.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AscCollab.Web.Tests;

/// <summary>Controls that will be refused are not offered (issue 14): each workflow control only to those the server allows.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task Recommend_is_offered_to_the_group_coordinator_and_the_chair_and_withdraw_to_the_proposer_and_the_chair()
    {
        // Thailand coordinates; Malaysia proposes; Viet Nam only takes part.
        var group = "ctl-" + Guid.NewGuid().ToString("N")[..8];
        var groupName = "Working group on confidence-building " + group[^4..];
        using (var chairClient = await _server.ClientFor(AscCollabApp.Chair, "chair"))
        {
            var response = await chairClient.PostAsJsonAsync("/api/groups", new
            {
                id = group,
                name = groupName,
                mandate = "Draft confidence-building measures for the AMM.",
                coordinator = "TH",
                activities = new[] { Activity },
                participants = new[] { "MY", "TH", "VN" },
            }).WithTimeout();
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        using var my = await _server.ClientFor("MY");
        var created = await my.PostAsJsonAsync("/api/proposals", new { activity = Activity, title = "Advance notice of military exercises " + group[^4..], text = "Members notify exercises 30 days ahead.", group }).WithTimeout();
        Assert.True((int)created.StatusCode == 201, await created.Content.ReadAsStringAsync());
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        await Circulate(id);
        var proposal = JsonNode.Parse(await my.GetStringAsync($"/api/proposals/{id}").WithTimeout())!;
        var revision = proposal["revision"]!.GetValue<long>();
        foreach (var member in new[] { "MY", "TH", "VN" })
        {
            using var delegation = await _server.ClientFor(member);
            var signed = await delegation.PutAsJsonAsync($"/api/proposals/{id}/sign-offs/{member}", new { position = "Concur", revision }).WithTimeout();
            Assert.True(signed.IsSuccessStatusCode, await signed.Content.ReadAsStringAsync());
        }
        var reached = JsonNode.Parse(await my.GetStringAsync($"/api/proposals/{id}").WithTimeout())!;
        Assert.Equal("ConsensusReached", reached["status"]!.GetValue<string>());

        var (_, thailand) = await SignIn("TH");
        var (_, vietnam) = await SignIn("VN");
        var (_, malaysia) = await SignIn("MY");
        var (_, chair) = await SignIn(AscCollabApp.Chair, "chair");
        foreach (var page in new[] { thailand, vietnam, malaysia, chair })
        {
            await OpenProposal(page, id);
            // The group's charter has been read (its name is shown): the coordinator is known.
            await Expect(page.Locator(".meta")).ToContainTextAsync(groupName).WithTimeout();
            await Expect(page.Locator("#workflow")).ToBeVisibleAsync().WithTimeout();
        }

        static ILocator Button(IPage page, string name) =>
            page.Locator("#workflow").GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

        // The coordinator: Recommend, but no Withdraw (Thailand did not propose it).
        await Expect(Button(thailand, "Recommend to all members")).ToBeVisibleAsync().WithTimeout();
        await Expect(Button(thailand, "Withdraw proposal")).ToHaveCountAsync(0).WithTimeout();

        // A participant that neither coordinates nor proposed: neither, and the card says who recommends.
        await Expect(vietnam.Locator($"#wf-{id}-recommend-who")).ToContainTextAsync("Thailand").WithTimeout();
        await Expect(Button(vietnam, "Recommend to all members")).ToHaveCountAsync(0).WithTimeout();
        await Expect(Button(vietnam, "Withdraw proposal")).ToHaveCountAsync(0).WithTimeout();
        Assert.Equal(0, await vietnam.Locator("#workflow button").CountAsync().WithTimeout());

        // The proposer: Withdraw, no Recommend.
        await Expect(Button(malaysia, "Withdraw proposal")).ToBeVisibleAsync().WithTimeout();
        await Expect(Button(malaysia, "Recommend to all members")).ToHaveCountAsync(0).WithTimeout();

        // The Chair (holding the chairmanship, not a participant): both, and reopen.
        await Expect(Button(chair, "Recommend to all members")).ToBeVisibleAsync().WithTimeout();
        await Expect(Button(chair, "Withdraw proposal")).ToBeVisibleAsync().WithTimeout();
        await Expect(Button(chair, "Reopen drafting")).ToBeVisibleAsync().WithTimeout();

        // What is offered is what the server accepts: the coordinator recommends.
        await Button(thailand, "Recommend to all members").ClickAsync().WithTimeout();
        await Expect(thailand.Locator("#workflow-result")).ToHaveTextAsync("Recommend: done.").WithTimeout();
        var after = JsonNode.Parse(await my.GetStringAsync($"/api/proposals/{id}").WithTimeout())!;
        Assert.Equal("AllMembers", after["summary"]!["level"]!.GetValue<string>());
        await Expect(Button(vietnam, "Recommend to all members")).ToHaveCountAsync(0).WithTimeout();
    }
}
