namespace AscCollab.Server.Tests;

/// <summary>Components, activities and the chairmanship as the API lists them.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class CatalogTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_plan_is_seeded_and_only_the_Chair_adds_an_activity_once()
    {
        await using var app = new AscCollabApp(azurite);
        var chair = await app.ClientFor(AscCollabApp.Chair, "chair");
        var my = await app.ClientFor("MY");
        var secretariat = await app.ClientFor("ASEC", "secretariat");

        Assert.Equal(6, (await my.GetJson("/api/components")).AsArray().Count);
        var cbm = (await my.GetJson("/api/activities")).AsArray().Single(a => a!.Str("id") == Workflow.Activity)!;
        Assert.Equal("conflict-prevention", cbm.Str("component"));
        Assert.False(string.IsNullOrWhiteSpace(cbm.Str("title")));

        var id = Workflow.Unique("maritime-domain-awareness");
        var body = new { id, title = "Maritime domain awareness", component = "conflict-prevention", description = "Share a maritime picture." };
        await my.ProblemFromPost("/api/activities", body, 403, "forbidden");
        await secretariat.ProblemFromPost("/api/activities", body, 403, "forbidden");
        await chair.ProblemFromPost("/api/activities", new { id = Workflow.Unique("x"), title = "t", component = "no-such-component" }, 400, "invalid_input");
        await chair.ProblemFromPost("/api/activities", new { id = "Not A Slug", title = "t", component = "conflict-prevention" }, 400, "invalid_input");
        await my.ProblemFromGet($"/api/activities/{id}", 404, "not_found");

        var added = await chair.PostJson("/api/activities", body, 201);
        Assert.Equal(id, added.Str("id"));
        await chair.ProblemFromPost("/api/activities", body, 409, "conflict");

        Assert.Equal("Maritime domain awareness", (await my.GetJson($"/api/activities/{id}")).Str("title"));
        Assert.Contains((await my.GetJson("/api/activities")).AsArray(), a => a!.Str("id") == id);
        // A new activity takes proposals like a seeded one.
        await my.Propose(Workflow.Unique("Picture compilation"), activity: id);
    }

    [Fact]
    public async Task The_chairmanship_schedule_is_readable_by_every_delegation()
    {
        await using var app = new AscCollabApp(azurite);
        var kh = await app.ClientFor("KH");

        var chairmanship = await kh.GetJson("/api/chairmanship");

        Assert.Equal(AscCollabApp.Chair, chairmanship.Str("current"));
        Assert.Equal(AscCollabApp.Chair, chairmanship["schedule"]!.AsArray().Single()!.Str("member"));
    }

    [Fact]
    public async Task The_Chair_moves_a_deadline_and_reopens_a_proposal()
    {
        await using var app = new AscCollabApp(azurite);
        var chair = await app.ClientFor(AscCollabApp.Chair, "chair");
        var my = await app.ClientFor("MY");
        var id = await my.Propose(Workflow.Unique("Deadline and reopen"));
        await chair.Circulate(id, "Unanimity", deadline: DateTimeOffset.UtcNow.AddDays(30));

        var deadline = DateTimeOffset.UtcNow.AddDays(60);
        var moved = await chair.PutJson($"/api/proposals/{id}/deadline", new { deadline });
        Assert.Equal(deadline.ToUnixTimeSeconds(), DateTimeOffset.Parse(moved["summary"]!.Str("deadline"), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds());

        await chair.ProblemFromPost($"/api/proposals/{id}/reopen", new { }, 400, "invalid_input");
        var reopened = await chair.PostJson($"/api/proposals/{id}/reopen", new { reason = "Members asked for more time to draft." });
        Assert.Equal("Drafting", reopened.Str("status"));
    }
}
