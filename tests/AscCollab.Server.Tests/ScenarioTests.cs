using System.Text.Json.Nodes;

namespace AscCollab.Server.Tests;

/// <summary>The consensus workflow end to end over HTTP on Azurite.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ScenarioTests(AzuriteFixture azurite)
{
    private static readonly string[] GroupMembers = ["MY", "PH", "SG", "VN"];
    private static readonly string[] AllMembers = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"];

    [Fact]
    public async Task A_group_draft_reaches_group_then_all_member_consensus_is_adopted_and_appears_in_the_annual_report()
    {
        await using var app = new AscCollabApp(azurite);
        var chair = await app.ClientFor(AscCollabApp.Chair, "chair");
        var secretariat = await app.ClientFor("ASEC", "secretariat");
        var delegates = new Dictionary<string, HttpClient>();
        foreach (var member in AllMembers)
        {
            delegates[member] = await app.ClientFor(member);
        }

        // The Chair sets up the group; Malaysia coordinates and proposes inside it.
        var group = await chair.SetUpGroup(GroupMembers, coordinator: "MY");
        var title = Workflow.Unique("Hotline between defence ministries");
        var id = await delegates["MY"].Propose(title, group: group);
        // The list is the progress grain's, fed by one-way notifications: it catches up.
        await Workflow.Eventually(async () => (await delegates["PH"].GetJson("/api/proposals")).AsArray().Any(p => p!.Str("proposalId") == id),
            "the group draft is listed for a group participant");
        Assert.DoesNotContain((await delegates["TH"].GetJson("/api/proposals")).AsArray(), p => p!.Str("proposalId") == id);

        // Group level: every participant concurs on revision 0.
        var circulated = await chair.Circulate(id);
        Assert.Equal("UnderConsideration", circulated.Str("status"));
        Assert.Equal("Group", circulated["summary"]!.Str("level"));
        JsonNode state = circulated;
        foreach (var member in GroupMembers)
        {
            state = await delegates[member].SignOff(id, member, "Concur", revision: 0);
        }
        Assert.Equal("ConsensusReached", state.Str("status"));
        await Workflow.Eventually(async () => (await delegates["VN"].GetJson($"/api/groups/{group}/consensus")).AsArray()
            .Any(p => p is not null && p.Str("proposalId") == id && p["groupConsensus"]!.GetValue<bool>()), "the group records its consensus");

        // The coordinator recommends it to all members: now Thailand sees it, and all ten decide.
        var recommended = await delegates["MY"].PostJson($"/api/proposals/{id}/recommend", new { });
        Assert.Equal("Drafting", recommended.Str("status"));
        Assert.Equal("AllMembers", recommended["summary"]!.Str("level"));
        Assert.Equal(title, (await delegates["TH"].Proposal(id)).Str("title"));

        await chair.Circulate(id, "NoObjection", quorum: 6);
        foreach (var member in AllMembers.Take(5))
        {
            state = await delegates[member].SignOff(id, member, "Concur", revision: 0);
            Assert.Equal("UnderConsideration", state.Str("status"));
        }
        state = await delegates["MM"].SignOff(id, "MM", "Abstain", revision: 0);
        Assert.Equal("UnderConsideration", state.Str("status"));
        state = await delegates["PH"].SignOff(id, "PH", "Concur", revision: 0);
        Assert.Equal("ConsensusReached", state.Str("status"));

        var adopted = await chair.PostJson($"/api/proposals/{id}/adoption", new { occasion = "the 38th ASEAN Ministerial Meeting" });
        Assert.Equal("Adopted", adopted.Str("status"));

        // The annual report lists it under its component, as Markdown and as print-ready HTML.
        var year = DateTimeOffset.UtcNow.Year;
        string markdown = "";
        await Workflow.Eventually(async () =>
        {
            var response = await secretariat.GetAsync($"/api/reports/annual/{year}/markdown");
            Assert.Equal("text/markdown", response.Content.Headers.ContentType?.MediaType);
            markdown = await response.Content.ReadAsStringAsync();
            return Section(markdown, "## 3. Conflict Prevention", "### Measures adopted", "\n#").Contains(title, StringComparison.Ordinal);
        }, "the adopted measure appears in the Markdown report");
        Assert.Contains("# ASEAN Security Community — Annual Progress Report " + year, markdown, StringComparison.Ordinal);
        Assert.Contains("Strengthening confidence building measures", markdown, StringComparison.Ordinal);

        var html = await chair.GetAsync($"/api/reports/annual/{year}/html").WithTimeout();
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        var page = await html.Content.ReadAsStringAsync();
        Assert.StartsWith("<!DOCTYPE html>", page, StringComparison.Ordinal);
        Assert.Contains("@media print", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(title, Section(page, "3. Conflict Prevention</h2>", "<h3>Measures adopted</h3>", "</ul>"), StringComparison.Ordinal);

        // The audit trail proves every step and its chain is intact.
        var audit = (await secretariat.GetJson($"/api/proposals/{id}/audit")).AsArray();
        var actions = audit.Select(a => a!.Str("action")).ToList();
        foreach (var action in new[] { "create", "circulate", "sign-off", "recommend", "adopt" })
        {
            Assert.Contains(action, actions);
        }
        var verification = await secretariat.GetJson($"/api/proposals/{id}/audit/verify");
        Assert.True(verification["intact"]!.GetValue<bool>(), verification.ToJsonString());
        Assert.Equal(audit.Count, verification.Number("entries"));

        // Lists, dashboard and charter read back.
        Assert.Contains((await delegates["KH"].GetJson("/api/groups")).AsArray(), g => g!.Str("groupId") == group);
        var progress = await chair.GetJson("/api/progress");
        Assert.NotEmpty(progress["components"]!.AsArray());
    }

    [Fact]
    public async Task An_objection_blocks_until_it_is_withdrawn()
    {
        await using var app = new AscCollabApp(azurite);
        var chair = await app.ClientFor(AscCollabApp.Chair, "chair");
        var my = await app.ClientFor("MY");
        var ph = await app.ClientFor("PH");
        var id = await my.Propose(Workflow.Unique("Joint patrols"));
        await chair.Circulate(id);

        var blocked = await ph.SignOff(id, "PH", "Object", 0, reason: "The area of the patrols is not defined.");
        Assert.Equal("Blocked", blocked.Str("status"));
        var objection = blocked["signOffs"]!.AsArray().Single(s => s!.Str("member") == "PH")!;
        Assert.Equal("Object", objection.Str("position"));
        Assert.Equal("The area of the patrols is not defined.", objection.Str("reason"));
        Assert.Equal((await my.Proposal(id)).Str("textHash"), objection.Str("textHash"));

        // Others concurring does not lift it.
        Assert.Equal("Blocked", (await my.SignOff(id, "MY", "Concur", 0)).Str("status"));

        var lifted = await (await ph.DeleteAsync($"/api/proposals/{id}/sign-offs/PH").WithTimeout()).Json(200);
        Assert.Equal("UnderConsideration", lifted.Str("status"));
        Assert.Equal("Pending", lifted["signOffs"]!.AsArray().Single(s => s!.Str("member") == "PH")!.Str("position"));
    }

    [Fact]
    public async Task A_text_change_makes_earlier_sign_offs_stale_and_asks_for_renewal()
    {
        await using var app = new AscCollabApp(azurite);
        var chair = await app.ClientFor(AscCollabApp.Chair, "chair");
        var my = await app.ClientFor("MY");
        var ph = await app.ClientFor("PH");
        var id = await my.Propose(Workflow.Unique("Exchange of observers"), text: "Observers attend exercises.");
        await chair.Circulate(id);
        var signed = await my.SignOff(id, "MY", "Concur", 0);
        var hashBefore = signed.Str("textHash");

        var ack = await ph.PostJson($"/api/proposals/{id}/edits", new { baseRevision = 0, op = new object[] { 9, " of the Parties" } });
        Assert.Equal(1, ack.Number("revision"));

        var after = await my.Proposal(id);
        Assert.Equal("Observers of the Parties attend exercises.", after.Str("text"));
        Assert.NotEqual(hashBefore, after.Str("textHash"));
        var mine = after["signOffs"]!.AsArray().Single(s => s!.Str("member") == "MY")!;
        Assert.True(mine["stale"]!.GetValue<bool>());
        Assert.Equal(0, mine.Number("revision"));
        Assert.Equal(hashBefore, mine.Str("textHash"));

        await Workflow.Eventually(async () => (await my.GetJson("/api/members/MY/todo"))["items"]!.AsArray()
            .Any(i => i is not null && i.Str("proposalId") == id && i.Str("kind") == "RenewSignOff"), "Malaysia is asked to renew its sign-off");

        // A sign-off on the old revision is refused; on the current one it counts again.
        await my.ProblemFromPut($"/api/proposals/{id}/sign-offs/MY", new { position = "Concur", revision = 0 }, 409, "stale_revision");
        var renewed = await my.SignOff(id, "MY", "Concur", 1);
        Assert.False(renewed["signOffs"]!.AsArray().Single(s => s!.Str("member") == "MY")!["stale"]!.GetValue<bool>());

        var edits = (await ph.GetJson($"/api/proposals/{id}/edits?since=0")).AsArray();
        Assert.Equal(1, edits.Single()!.Number("revision"));
        Assert.Equal("PH", edits.Single()!.Str("member"));
    }

    [Fact]
    public async Task A_silence_procedure_completes_across_a_server_restart()
    {
        string id;
        var tables = AzuriteFixture.NewTablePrefix();
        await using (var first = new AscCollabApp(azurite, tables))
        {
            var chair = await first.ClientFor(AscCollabApp.Chair, "chair");
            var my = await first.ClientFor("MY");
            id = await my.Propose(Workflow.Unique("Annual security outlook"));
            var circulated = await chair.Circulate(id, "SilenceProcedure", deadline: DateTimeOffset.UtcNow.AddSeconds(4));
            Assert.Equal("UnderConsideration", circulated.Str("status"));
        }

        // A new server on the same tables: the durable reminder fires there, once.
        await using var second = new AscCollabApp(azurite, tables);
        var reader = await second.ClientFor("VN");
        await Workflow.Eventually(async () => (await reader.Proposal(id)).Str("status") == "ConsensusReached",
            "the silence deadline passes without objection", TimeSpan.FromSeconds(30));
        var audit = (await reader.GetJson($"/api/proposals/{id}/audit")).AsArray();
        Assert.Single(audit, a => a!.Str("action") == "silence-deadline");
        Assert.True((await reader.GetJson($"/api/proposals/{id}/audit/verify"))["intact"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_objection_before_the_deadline_breaks_silence()
    {
        await using var app = new AscCollabApp(azurite);
        var chair = await app.ClientFor(AscCollabApp.Chair, "chair");
        var my = await app.ClientFor("MY");
        var id = await my.Propose(Workflow.Unique("Shared maritime picture"));
        await chair.Circulate(id, "SilenceProcedure", deadline: DateTimeOffset.UtcNow.AddSeconds(3));
        var kh = await app.ClientFor("KH");

        Assert.Equal("Blocked", (await kh.SignOff(id, "KH", "Object", 0, "Needs consultation at home.")).Str("status"));

        await Workflow.Eventually(async () => (await my.GetJson($"/api/proposals/{id}/audit")).AsArray().Any(a => a!.Str("action") == "silence-deadline"),
            "the deadline passes", TimeSpan.FromSeconds(30));
        Assert.NotEqual("ConsensusReached", (await my.Proposal(id)).Str("status"));
    }

    private static string Section(string text, string heading, string from, string to)
    {
        var start = text.IndexOf(heading, StringComparison.Ordinal);
        if (start < 0)
        {
            return "";
        }
        var begin = text.IndexOf(from, start, StringComparison.Ordinal);
        // Up to the next heading or the list's end: empty lists have no heading to stop at.
        var end = begin < 0 ? -1 : text.IndexOf(to, begin + from.Length, StringComparison.Ordinal);
        return begin < 0 || end < 0 ? "" : text[begin..end];
    }
}
