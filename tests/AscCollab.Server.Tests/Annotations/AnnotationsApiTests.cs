using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AscCollab.Server.Tests;

/// <summary>Amendments and comment threads over HTTP, as docs/api.md gives them: the flow, who may, and every refusal coded and storing nothing.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class AnnotationsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Text = "Member States should exchange information on maritime incidents.";
    private AscCollabApp _app = null!;
    private HttpClient _chair = null!;
    private HttpClient _my = null!;
    private HttpClient _th = null!;
    private HttpClient _vn = null!;
    private HttpClient _secretariat = null!;

    public async Task InitializeAsync()
    {
        _app = new AscCollabApp(azurite);
        _chair = await _app.ClientFor(AscCollabApp.Chair, "chair");
        _my = await _app.ClientFor("MY");
        _th = await _app.ClientFor("TH");
        _vn = await _app.ClientFor("VN");
        _secretariat = await _app.ClientFor("ASEC", "secretariat");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_delegation_tables_another_supports_the_proposer_accepts_and_the_edit_is_the_authors()
    {
        var id = await _my.Propose(Workflow.Unique("Maritime information"), Text);
        var start = Text.IndexOf("should", StringComparison.Ordinal);

        var response = await _th.PostAsJsonAsync($"/api/proposals/{id}/amendments",
            new { revision = 0, start, end = start + 6, replacement = "shall", justification = "A commitment, as in the 2004 Plan of Action." }).WithTimeout();
        var tabled = await response.Json(201);
        Assert.Equal($"/api/proposals/{id}/amendments/a1", response.Headers.Location?.ToString());
        Assert.Equal(("a1", "TH", "Replace", "Open", "should", "shall"), (tabled.Str("id"), tabled.Str("author"), tabled.Str("kind"), tabled.Str("status"), tabled.Str("quote"), tabled.Str("replacement")));

        var supported = await _vn.PutJson($"/api/proposals/{id}/amendments/a1/positions/VN", new { stance = "Support" });
        Assert.Equal("Support", supported["positions"]![0]!.Str("stance"));
        var list = await _secretariat.GetJson($"/api/proposals/{id}/amendments");
        Assert.Equal(0, list.Number("revision"));
        Assert.Equal("VN", list["amendments"]![0]!["positions"]![0]!.Str("member"));
        Assert.Equal("a1", (await _secretariat.GetJson($"/api/proposals/{id}/amendments/a1")).Str("id"));

        var accepted = await _my.PostJson($"/api/proposals/{id}/amendments/a1/accept", new { });
        Assert.Equal(1, accepted.Number("revision"));
        Assert.Equal(("Accepted", "MY"), (accepted["amendment"]!.Str("status"), accepted["amendment"]!.Str("decidedBy")));
        Assert.Equal(Text.Replace("should", "shall", StringComparison.Ordinal), (await _vn.Proposal(id)).Str("text"));
        var edit = (await _vn.GetJson($"/api/proposals/{id}/edits?since=0")).AsArray().Single()!;
        Assert.Equal("TH", edit.Str("member"));
        Assert.Equal($"[{start},{{\"d\":6}},\"shall\"]", edit["op"]!.ToJsonString());
        var audit = (await _vn.GetJson($"/api/proposals/{id}/audit")).AsArray();
        Assert.Equal(("amendment-accepted", "MY"), (audit[^1]!.Str("action"), audit[^1]!.Str("member")));

        // Withdraw and reject.
        var a2 = await _th.PostJson($"/api/proposals/{id}/amendments", new { revision = 1, start = 0, end = 6, replacement = "All", justification = "Broader." }, 201);
        var a3 = await _vn.PostJson($"/api/proposals/{id}/amendments", new { revision = 1, start = 0, end = 6, justification = "Drop it." }, 201);
        Assert.Equal("Delete", a3.Str("kind"));
        Assert.Equal("Withdrawn", (await _th.PostJson($"/api/proposals/{id}/amendments/{a2.Str("id")}/withdraw", new { })).Str("status"));
        var rejected = await _chair.PostJson($"/api/proposals/{id}/amendments/{a3.Str("id")}/reject", new { reason = "The subject is needed." });
        Assert.Equal(("Rejected", "Chair", "The subject is needed."), (rejected.Str("status"), rejected.Str("decidedRole"), rejected.Str("reason")));
    }

    [Fact]
    public async Task A_comment_thread_with_a_mention_lands_on_that_delegations_to_do_and_leaves_it_when_resolved()
    {
        var id = await _my.Propose(Workflow.Unique("Maritime information"), Text);
        var start = Text.IndexOf("maritime", StringComparison.Ordinal);
        var thread = await _th.PostJson($"/api/proposals/{id}/comments", new { revision = 0, start, end = start + 8, text = "@VN does this cover fisheries?" }, 201);
        Assert.Equal(("c1", "maritime", "Current", "Range"), (thread.Str("id"), thread.Str("quote"), thread.Str("anchor"), thread.Str("scope")));
        await Workflow.Eventually(async () => (await _vn.GetJson("/api/members/VN/todo"))["items"]!.AsArray().Any(i => i!["kind"]?.GetValue<string>() == "Mention" && i["thread"]?.GetValue<string>() == "c1" && i["by"]?.GetValue<string>() == "TH"), "VN's to-do has the mention");

        var replied = await _vn.PostJson($"/api/proposals/{id}/comments/c1/replies", new { text = "It does.", mentions = new[] { "MY" } });
        Assert.Equal(2, replied["comments"]!.AsArray().Count);
        await _vn.ProblemFromPost($"/api/proposals/{id}/comments/c1/resolve", new { }, 403, "forbidden");
        Assert.Equal("MY", (await _my.PostJson($"/api/proposals/{id}/comments/c1/resolve", new { })).Str("resolvedBy"));
        var threads = await _chair.GetJson($"/api/proposals/{id}/comments");
        Assert.True(threads["threads"]![0]!["resolved"]!.GetValue<bool>());
        await _th.ProblemFromPost($"/api/proposals/{id}/comments/c1/resolve", new { }, 409, "invalid_transition");
        await Workflow.Eventually(async () => !(await _my.GetJson("/api/members/MY/todo"))["items"]!.AsArray().Any(i => i!.Str("kind") == "Mention"), "resolving clears MY's mention");
        Assert.False((await _th.PostJson($"/api/proposals/{id}/comments/c1/reopen", new { }))["resolved"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Bad_input_and_callers_without_the_right_are_refused_with_a_code_and_change_nothing()
    {
        var id = await _my.Propose(Workflow.Unique("Maritime information"), Text);
        var path = $"/api/proposals/{id}/amendments";
        await _th.PostJson(path, new { revision = 0, start = 0, end = 6, replacement = "All", justification = "Broader." }, 201);
        var before = await _chair.Fingerprint(id);
        var annotations = (await _chair.GetJson(path)).ToJsonString();

        await _th.ProblemFromPost(path, new { revision = 0, start = 0, end = 500, replacement = "x", justification = "Out." }, 400, "invalid_input");
        var missing = await _th.ProblemFromPost(path, new { revision = 0, end = 3, replacement = "x", justification = "No start." }, 400, "invalid_input");
        Assert.NotNull(missing["errors"]!["start"]);
        await _th.ProblemFromPost(path, new { revision = 0, start = -1, end = 3, replacement = "x", justification = "Negative." }, 400, "invalid_input");
        await _th.ProblemFromPost(path, new { revision = 9, start = 0, end = 3, replacement = "x", justification = "Future." }, 409, "stale_revision");
        await _th.ProblemFromPost(path, new { revision = 0, start = 0, end = 3, replacement = "x", justification = new string('j', 2001) }, 413, "too_large");
        await _th.ProblemFromPost(path, new { revision = 0, start = 0, end = 3, replacement = "x", justification = "ok", extra = 1 }, 400, "invalid_input");
        await _secretariat.ProblemFromPost(path, new { revision = 0, start = 0, end = 3, replacement = "x", justification = "Secretariat." }, 403, "forbidden");
        await _vn.ProblemFromPut($"{path}/a1/positions/TH", new { stance = "Oppose" }, 403, "forbidden");
        await _vn.ProblemFromPut($"{path}/a1/positions/VN", new { stance = "Maybe" }, 400, "invalid_input");
        await _th.ProblemFromPut($"{path}/a1/positions/TH", new { stance = "Support" }, 403, "forbidden");
        await _vn.ProblemFromPost($"{path}/a1/accept", new { }, 403, "forbidden");
        await _vn.ProblemFromPost($"{path}/a1/withdraw", new { }, 403, "forbidden");
        await _my.ProblemFromPost($"{path}/a1/reject", new { reason = " " }, 400, "invalid_input");
        await _my.ProblemFromPost($"{path}/a7/accept", new { }, 404, "not_found");
        await _my.ProblemFromGet($"{path}/zz", 404, "not_found");
        await _my.ProblemFromGet("/api/proposals/p-nonsense/amendments", 404, "not_found");
        var comments = $"/api/proposals/{id}/comments";
        await _th.ProblemFromPost(comments, new { revision = 0, start = 0, end = 6, text = "Ask @XX." }, 400, "invalid_input");
        await _th.ProblemFromPost(comments, new { revision = 0, start = 0, end = 6, text = "Ask them.", mentions = new[] { "ASEC" } }, 400, "invalid_input");
        await _th.ProblemFromPost(comments, new { revision = 0, start = 0, end = 6, text = new string('c', 4001) }, 413, "too_large");
        await _th.ProblemFromPost(comments, new { revision = 0, start = 0, end = 6, text = "Wrong scope.", scope = "Sentence" }, 400, "invalid_input");

        Assert.Equal(before, await _chair.Fingerprint(id));
        Assert.Equal(annotations, (await _chair.GetJson(path)).ToJsonString());
        Assert.Empty((await _chair.GetJson(comments))["threads"]!.AsArray());
    }

    [Fact]
    public async Task A_confidential_group_drafts_amendments_and_comments_are_closed_to_outsiders()
    {
        var group = await _chair.SetUpGroup(["TH", "VN", "MY"], "TH");
        var id = await _my.Propose(Workflow.Unique("Group draft"), Text, group);
        var path = $"/api/proposals/{id}/amendments";
        await _vn.PostJson(path, new { revision = 0, start = 0, end = 6, replacement = "All", justification = "Broader." }, 201);
        var outsider = await _app.ClientFor("PH");
        await outsider.ProblemFromGet(path, 403, "forbidden");
        await outsider.ProblemFromGet($"/api/proposals/{id}/comments", 403, "forbidden");
        await outsider.ProblemFromPost(path, new { revision = 0, start = 0, end = 6, replacement = "All", justification = "Broader." }, 403, "forbidden");
        await _vn.ProblemFromPost($"/api/proposals/{id}/comments", new { revision = 0, start = 0, end = 6, text = "@PH what do you think?" }, 400, "invalid_input");
        // The coordinator holds the pen at group level; the proposer does not.
        await _my.ProblemFromPost($"{path}/a1/accept", new { }, 403, "forbidden");
        Assert.Equal("Accepted", (await _th.PostJson($"{path}/a1/accept", new { }))["amendment"]!.Str("status"));
    }
}
