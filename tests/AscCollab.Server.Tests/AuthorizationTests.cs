using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace AscCollab.Server.Tests;

/// <summary>Each rule of who may do what, tried to be broken over HTTP; a refusal is a 401/403 Problem and changes nothing.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class AuthorizationTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private AscCollabApp _app = null!;
    private HttpClient _chair = null!;
    private HttpClient _my = null!;
    private HttpClient _ph = null!;
    private HttpClient _th = null!;
    private HttpClient _secretariat = null!;

    public async Task InitializeAsync()
    {
        _app = new AscCollabApp(azurite);
        _chair = await _app.ClientFor(AscCollabApp.Chair, "chair");
        _my = await _app.ClientFor("MY");
        _ph = await _app.ClientFor("PH");
        _th = await _app.ClientFor("TH");
        _secretariat = await _app.ClientFor("ASEC", "secretariat");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Without_a_token_every_api_route_is_401()
    {
        var anonymous = _app.CreateClient();
        await anonymous.ProblemFromGet("/api/activities", 401, "unauthorized");
        await anonymous.ProblemFromGet("/api/proposals", 401, "unauthorized");
        await anonymous.ProblemFromPost("/api/proposals", new { activity = Workflow.Activity, title = "t", text = "x" }, 401, "unauthorized");
        await anonymous.ProblemFromGet("/metrics", 401, "unauthorized");
    }

    [Fact]
    public async Task A_token_signed_by_another_issuer_is_401()
    {
        // Another server's dev issuer has another random key.
        await using var other = new AscCollabApp(azurite);
        var foreign = await other.ClientFor("MY");
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = foreign.DefaultRequestHeaders.Authorization;
        await client.ProblemFromGet("/api/proposals", 401, "unauthorized");

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-jwt");
        await client.ProblemFromGet("/api/proposals", 401, "unauthorized");
    }

    [Fact]
    public async Task The_secretariat_reads_and_reports_but_never_proposes_signs_or_circulates()
    {
        var id = await _my.Propose(Workflow.Unique("Seminar on preventive diplomacy"));
        await _chair.Circulate(id);
        var before = await _secretariat.Fingerprint(id);

        await _secretariat.ProblemFromPost("/api/proposals", new { activity = Workflow.Activity, title = "From the secretariat", text = "" }, 403, "forbidden");
        await _secretariat.ProblemFromPut($"/api/proposals/{id}/sign-offs/ASEC", new { position = "Concur", revision = 0 }, 403, "forbidden");
        await _secretariat.ProblemFromPut($"/api/proposals/{id}/sign-offs/MY", new { position = "Concur", revision = 0 }, 403, "forbidden");
        await _secretariat.ProblemFromPost($"/api/proposals/{id}/circulate", new { rule = "Unanimity" }, 403, "forbidden");
        await _secretariat.ProblemFromPost($"/api/proposals/{id}/edits", new { baseRevision = 0, op = new object[] { "x" } }, 403, "forbidden");
        await _secretariat.ProblemFromPost("/api/groups", new { id = "sec-group", name = "n", mandate = "m", coordinator = "MY", activities = new[] { Workflow.Activity } }, 403, "forbidden");

        Assert.Equal(before, await _secretariat.Fingerprint(id));
        await _secretariat.GetJson("/api/progress");
        await _secretariat.GetJson($"/api/reports/annual/{DateTimeOffset.UtcNow.Year}");
        await _secretariat.GetJson("/metrics");
    }

    [Fact]
    public async Task A_delegate_signs_off_and_withdraws_only_for_its_own_member()
    {
        var id = await _my.Propose(Workflow.Unique("Defence white papers"));
        await _chair.Circulate(id);
        await _ph.SignOff(id, "PH", "Concur", 0);
        var before = await _my.Fingerprint(id);

        await _my.ProblemFromPut($"/api/proposals/{id}/sign-offs/PH", new { position = "Object", revision = 0, reason = "no" }, 403, "forbidden");
        await (await _my.DeleteAsync($"/api/proposals/{id}/sign-offs/PH").WithTimeout()).Problem(403, "forbidden");
        // The Chair is a delegate of its own country only.
        await _chair.ProblemFromPut($"/api/proposals/{id}/sign-offs/PH", new { position = "Object", revision = 0, reason = "no" }, 403, "forbidden");

        Assert.Equal(before, await _my.Fingerprint(id));
        Assert.Equal("Concur", (await _chair.SignOff(id, AscCollabApp.Chair, "Concur", 0))["signOffs"]!.AsArray()
            .Single(s => s!.Str("member") == AscCollabApp.Chair)!.Str("position"));
    }

    [Fact]
    public async Task Only_the_member_holding_the_chairmanship_circulates_sets_deadlines_and_records_adoption()
    {
        var id = await _my.Propose(Workflow.Unique("Registry of military exercises"));
        // A "chair" token of a member that does not hold the chairmanship gets no Chair rights.
        var pretender = await _app.ClientFor("TH", "chair");

        await _my.ProblemFromPost($"/api/proposals/{id}/circulate", new { rule = "Unanimity" }, 403, "forbidden");
        await pretender.ProblemFromPost($"/api/proposals/{id}/circulate", new { rule = "Unanimity" }, 403, "forbidden");
        Assert.Equal("Drafting", (await _my.Proposal(id)).Str("status"));

        await _chair.Circulate(id, "NoObjection", quorum: 1);
        var before = await _my.Fingerprint(id);
        await _my.ProblemFromPut($"/api/proposals/{id}/deadline", new { deadline = DateTimeOffset.UtcNow.AddDays(7) }, 403, "forbidden");
        await pretender.ProblemFromPut($"/api/proposals/{id}/deadline", new { deadline = DateTimeOffset.UtcNow.AddDays(7) }, 403, "forbidden");
        Assert.Equal(before, await _my.Fingerprint(id));

        Assert.Equal("ConsensusReached", (await _my.SignOff(id, "MY", "Concur", 0)).Str("status"));
        before = await _my.Fingerprint(id);
        await _my.ProblemFromPost($"/api/proposals/{id}/adoption", new { occasion = "AMM" }, 403, "forbidden");
        await pretender.ProblemFromPost($"/api/proposals/{id}/adoption", new { occasion = "AMM" }, 403, "forbidden");
        Assert.Equal(before, await _my.Fingerprint(id));

        Assert.Equal("Adopted", (await _chair.PostJson($"/api/proposals/{id}/adoption", new { occasion = "AMM" })).Str("status"));
    }

    [Fact]
    public async Task Members_outside_a_group_neither_see_nor_sign_its_drafts()
    {
        var group = await _chair.SetUpGroup(["MY", "PH", AscCollabApp.Chair], coordinator: "PH");
        var id = await _my.Propose(Workflow.Unique("Confidential draft"), group: group);
        await _chair.Circulate(id);
        var before = await _my.Fingerprint(id);

        await _th.ProblemFromGet($"/api/proposals/{id}", 403, "forbidden");
        await _th.ProblemFromGet($"/api/proposals/{id}/audit", 403, "forbidden");
        await _th.ProblemFromGet($"/api/groups/{group}/consensus", 403, "forbidden");
        Assert.DoesNotContain((await _th.GetJson("/api/proposals")).AsArray(), p => p!.Str("proposalId") == id);
        await _th.ProblemFromPut($"/api/proposals/{id}/sign-offs/TH", new { position = "Concur", revision = 0 }, 403, "forbidden");
        await _th.ProblemFromPost($"/api/proposals/{id}/edits", new { baseRevision = 0, op = new object[] { "x" } }, 403, "forbidden");
        // Nor may an outsider propose into the group.
        await _th.ProblemFromPost("/api/proposals", new { activity = Workflow.Activity, title = "Outsider", text = "", group }, 403, "forbidden");

        Assert.Equal(before, await _my.Fingerprint(id));
        // The secretariat follows the group's work.
        await _secretariat.GetJson($"/api/groups/{group}/consensus");
    }

    [Fact]
    public async Task Only_the_Chair_sets_up_groups_and_only_the_coordinator_or_Chair_recommends()
    {
        await _my.ProblemFromPost("/api/groups", new { id = Workflow.Unique("mine"), name = "n", mandate = "m", coordinator = "MY", activities = new[] { Workflow.Activity } }, 403, "forbidden");

        var group = await _chair.SetUpGroup(["MY", "PH", "VN"], coordinator: "VN");
        var id = await _my.Propose(Workflow.Unique("Group draft"), group: group);
        await _chair.Circulate(id, "NoObjection", quorum: 1);
        Assert.Equal("ConsensusReached", (await _my.SignOff(id, "MY", "Concur", 0)).Str("status"));
        var before = await _my.Fingerprint(id);

        await _my.ProblemFromPost($"/api/proposals/{id}/recommend", new { }, 403, "forbidden");
        Assert.Equal(before, await _my.Fingerprint(id));

        var vn = await _app.ClientFor("VN");
        Assert.Equal("AllMembers", (await vn.PostJson($"/api/proposals/{id}/recommend", new { }))["summary"]!.Str("level"));
    }

    [Fact]
    public async Task Only_the_proposer_or_the_Chair_withdraws()
    {
        var id = await _my.Propose(Workflow.Unique("To be withdrawn"));
        var before = await _my.Fingerprint(id);
        await _ph.ProblemFromPost($"/api/proposals/{id}/withdraw", new { reason = "not ours" }, 403, "forbidden");
        Assert.Equal(before, await _my.Fingerprint(id));
        Assert.Equal("Withdrawn", (await _my.PostJson($"/api/proposals/{id}/withdraw", new { reason = "superseded" })).Str("status"));
    }

    [Fact]
    public async Task Delegates_read_neither_the_dashboard_nor_the_report_nor_metrics_nor_another_members_to_do()
    {
        var year = DateTimeOffset.UtcNow.Year;
        await _my.ProblemFromGet("/api/progress", 403, "forbidden");
        await _my.ProblemFromGet($"/api/reports/annual/{year}/markdown", 403, "forbidden");
        await _my.ProblemFromGet($"/api/reports/annual/{year}/html", 403, "forbidden");
        await _my.ProblemFromGet("/metrics", 403, "forbidden");
        await _my.ProblemFromGet("/api/members/PH/todo", 403, "forbidden");

        await _my.GetJson("/api/members/MY/todo");
        await _chair.GetJson("/api/members/PH/todo");
        await _chair.GetJson("/metrics");
    }

    [Fact]
    public async Task Chair_rights_follow_the_schedule_without_a_restart()
    {
        // Singapore holds the chair until a moment ago is impossible to stage with the real clock,
        // so the schedule here hands the chair from Thailand (past) to Viet Nam (now).
        await using var app = new AscCollabApp(azurite, settings: new Dictionary<string, string?>
        {
            ["AscCollab:Chairmanship:0:Member"] = "TH",
            ["AscCollab:Chairmanship:0:From"] = "2000-01-01T00:00:00Z",
            ["AscCollab:Chairmanship:0:To"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"),
            ["AscCollab:Chairmanship:1:Member"] = "VN",
            ["AscCollab:Chairmanship:1:From"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"),
            ["AscCollab:Chairmanship:1:To"] = "2100-01-01T00:00:00Z",
        });
        var former = await app.ClientFor("TH", "chair");
        var current = await app.ClientFor("VN", "chair");
        var my = await app.ClientFor("MY");

        Assert.Equal("VN", (await my.GetJson("/api/chairmanship")).Str("current"));
        var id = await my.Propose(Workflow.Unique("Handover"));
        await former.ProblemFromPost($"/api/proposals/{id}/circulate", new { rule = "Unanimity" }, 403, "forbidden");
        Assert.Equal("UnderConsideration", (await current.Circulate(id)).Str("status"));
    }

    [Fact]
    public async Task The_secretariat_code_is_not_a_delegation()
    {
        var client = _app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/dev/token", new { member = "ASEC", role = "delegate" }).WithTimeout();
        await response.Problem(400, "invalid_input");
    }
}
