using System.Net.Http.Json;

namespace AscCollab.Server.Tests;

/// <summary>Unknown ids, malformed bodies, oversize text, invalid transitions: a clear 4xx Problem and nothing changed.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class BadInputTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private AscCollabApp _app = null!;
    private HttpClient _chair = null!;
    private HttpClient _my = null!;

    public async Task InitializeAsync()
    {
        _app = new AscCollabApp(azurite);
        _chair = await _app.ClientFor(AscCollabApp.Chair, "chair");
        _my = await _app.ClientFor("MY");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/api/proposals/p-aaaaaaaaaa")]
    [InlineData("/api/proposals/p-aaaaaaaaaa/audit")]
    [InlineData("/api/proposals/not-a-proposal-id")]
    [InlineData("/api/proposals/..%2F..%2Fetc")]
    [InlineData("/api/groups/no-such-group")]
    [InlineData("/api/groups/Not_A_Slug")]
    [InlineData("/api/activities/no-such-activity")]
    [InlineData("/api/members/XX")]
    [InlineData("/api/members/XX/todo")]
    public async Task Unknown_ids_are_404(string path) =>
        await _my.ProblemFromGet(path, 404, "not_found");

    [Fact]
    public async Task Acting_on_an_unknown_proposal_is_404()
    {
        await _my.ProblemFromPut("/api/proposals/p-aaaaaaaaaa/sign-offs/MY", new { position = "Concur", revision = 0 }, 404, "not_found");
        await _chair.ProblemFromPost("/api/proposals/p-aaaaaaaaaa/circulate", new { rule = "Unanimity" }, 404, "not_found");
    }

    [Theory]
    [InlineData("{ \"activity\": \"confidence-building-measures\", \"title\": ")]
    [InlineData("not json at all")]
    [InlineData("{ \"activity\": 5, \"title\": \"t\", \"text\": \"x\" }")]
    [InlineData("[]")]
    [InlineData("{ \"title\": \"no activity\", \"text\": \"x\" }")]
    [InlineData("{ \"activity\": \"confidence-building-measures\", \"title\": \"\", \"text\": \"x\" }")]
    public async Task Malformed_or_incomplete_bodies_are_400_and_create_nothing(string body)
    {
        var before = (await _my.GetJson("/api/proposals")).AsArray().Count;

        var response = await _my.PostAsync("/api/proposals", Http.RawJson(body)).WithTimeout();

        await response.Problem(400, "invalid_input");
        Assert.Equal(before, (await _my.GetJson("/api/proposals")).AsArray().Count);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_415()
    {
        var response = await _my.PostAsync("/api/proposals", new StringContent("activity=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded")).WithTimeout();
        await response.Problem(415, "unsupported_media_type");
    }

    [Fact]
    public async Task Unknown_activity_or_group_in_a_new_proposal_is_400()
    {
        await _my.ProblemFromPost("/api/proposals", new { activity = "no-such-activity", title = "t", text = "" }, 400, "invalid_input");
        await _my.ProblemFromPost("/api/proposals", new { activity = Workflow.Activity, title = "t", text = "", group = "no-such-group" }, 400, "invalid_input");
    }

    [Fact]
    public async Task Oversize_text_and_oversize_bodies_are_413_and_create_nothing()
    {
        var before = (await _my.GetJson("/api/proposals")).AsArray().Count;

        // Over the text limit (100,000 code points) but well under the body limit.
        await _my.ProblemFromPost("/api/proposals", new { activity = Workflow.Activity, title = "Long", text = new string('a', 100_001) }, 413, "too_large");
        // Over the 1 MiB body limit: refused before it is read.
        var huge = await _my.PostAsJsonAsync("/api/proposals", new { activity = Workflow.Activity, title = "Huge", text = new string('a', 1_100_000) }).WithTimeout();
        await huge.Problem(413, "too_large");

        Assert.Equal(before, (await _my.GetJson("/api/proposals")).AsArray().Count);
    }

    [Fact]
    public async Task Invalid_transitions_are_409_and_change_nothing()
    {
        var id = await _my.Propose(Workflow.Unique("Transitions"));
        var before = await _my.Fingerprint(id);

        await _chair.ProblemFromPost($"/api/proposals/{id}/adoption", new { occasion = "AMM" }, 409, "invalid_transition");
        await _my.ProblemFromPut($"/api/proposals/{id}/sign-offs/MY", new { position = "Concur", revision = 0 }, 409, "invalid_transition");
        await _my.ProblemFromPost($"/api/proposals/{id}/recommend", new { }, 403, "forbidden");
        await _chair.ProblemFromPost($"/api/proposals/{id}/recommend", new { }, 409, "invalid_transition");
        Assert.Equal(before, await _my.Fingerprint(id));

        await _my.PostJson($"/api/proposals/{id}/withdraw", new { reason = "superseded" });
        before = await _my.Fingerprint(id);
        await _chair.ProblemFromPost($"/api/proposals/{id}/circulate", new { rule = "Unanimity" }, 409, "invalid_transition");
        await _my.ProblemFromPost($"/api/proposals/{id}/edits", new { baseRevision = 0, op = new object[] { "x" } }, 409, "locked");
        Assert.Equal(before, await _my.Fingerprint(id));
    }

    [Fact]
    public async Task Bad_circulations_sign_offs_and_edits_are_400_or_409_and_change_nothing()
    {
        var id = await _my.Propose(Workflow.Unique("Bad requests"), text: "Short text.");
        var before = await _my.Fingerprint(id);
        await _chair.ProblemFromPost($"/api/proposals/{id}/circulate", new { rule = "SilenceProcedure" }, 400, "invalid_input");
        await _chair.ProblemFromPost($"/api/proposals/{id}/circulate", new { rule = "Unanimity", deadline = DateTimeOffset.UtcNow.AddDays(-1) }, 400, "invalid_input");
        await _chair.ProblemFromPost($"/api/proposals/{id}/circulate", new { rule = "NoObjection", quorum = 11 }, 400, "invalid_input");
        await _chair.ProblemFromPost($"/api/proposals/{id}/circulate", new { rule = "Consensus" }, 400, "invalid_input");
        var missing = await _chair.ProblemFromPost($"/api/proposals/{id}/circulate", new { }, 400, "invalid_input");
        Assert.NotNull(missing["errors"]?["rule"]);
        Assert.Equal(before, await _my.Fingerprint(id));

        await _chair.Circulate(id);
        before = await _my.Fingerprint(id);
        await _my.ProblemFromPut($"/api/proposals/{id}/sign-offs/MY", new { position = "Object", revision = 0 }, 400, "invalid_input");
        await _my.ProblemFromPut($"/api/proposals/{id}/sign-offs/MY", new { position = "Concur", revision = 7 }, 409, "revision_lost");
        await _my.ProblemFromPut($"/api/proposals/{id}/sign-offs/MY", new { position = "Maybe", revision = 0 }, 400, "invalid_input");
        await _my.ProblemFromPost($"/api/proposals/{id}/edits", new { baseRevision = 0, op = new object[] { 500, "x" } }, 400, "invalid_op");
        await _my.ProblemFromPost($"/api/proposals/{id}/edits", new { baseRevision = 3, op = new object[] { "x" } }, 409, "revision_lost");
        await _my.ProblemFromPost($"/api/proposals/{id}/edits", new { baseRevision = 0, op = "garbage" }, 400, "invalid_input");
        Assert.Equal(before, await _my.Fingerprint(id));
    }

    [Fact]
    public async Task A_report_year_out_of_range_is_400()
    {
        await _chair.ProblemFromGet("/api/reports/annual/1990/markdown", 400, "invalid_input");
        await _chair.ProblemFromGet("/api/reports/annual/abc/markdown", 404, "not_found");
    }
}
