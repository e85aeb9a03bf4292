using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using WordText = DocumentFormat.OpenXml.Wordprocessing.Text;

namespace AscCollab.Server.Tests;

/// <summary>The drafting routes over HTTP (docs/api.md, "Drafting"): every rule, bad input coded and storing nothing, the Word export parsed back.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class DraftingApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Text =
        "Recalling the Treaty of Amity and Cooperation,\n\n" +
        "Have agreed as follows:\n\n" +
        "Member States [shall][should] notify major exercises.\n\n" +
        "The Secretariat shall keep a register.";

    private static readonly string NextWeek = DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

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
    public async Task Structure_numbers_paragraphs_names_brackets_and_the_dashboard_shows_them()
    {
        var id = await _my.Propose(Workflow.Unique("Notification of exercises"), Text);
        var s = await _th.GetJson($"/api/proposals/{id}/structure");
        Assert.Equal(["PP1", null, "OP1", "OP2"], s["paragraphs"]!.AsArray().Select(p => p!["number"]?.GetValue<string>()));
        Assert.Equal(["Agreed", "Agreed", "Bracketed", "Agreed"], s["paragraphs"]!.AsArray().Select(p => p!.Str("status")));
        Assert.Equal("Chapeau", s["paragraphs"]![1]!.Str("kind"));
        var passage = s["brackets"]![0]!;
        Assert.Equal(("OP1", "[shall][should]"), (passage.Str("paragraph"), passage.Str("text")));
        Assert.Equal(["shall", "should"], passage["alternatives"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(1, s["counts"]!.Number("openBrackets"));

        var listed = (await _chair.GetJson("/api/proposals")).AsArray().Single(p => p!.Str("proposalId") == id)!;
        Assert.Equal(["OP1"], listed["drafting"]!["bracketed"]!.AsArray().Select(n => n!.GetValue<string>()));

        // An unbalanced bracket typed in: reported with its position, and the dashboard follows the edit.
        var edit = await _my.PostJson($"/api/proposals/{id}/edits", new { baseRevision = 0, op = new object[] { Text.Length, " ]" } });
        var after = await _th.GetJson($"/api/proposals/{id}/structure");
        var problem = after["problems"]![0]!;
        Assert.Equal(("unexpected_close", "OP2", (long)Text.Length + 1), (problem.Str("code"), problem.Str("paragraph"), problem.Number("position")));
        await Workflow.Eventually(async () => (await _chair.GetJson("/api/proposals")).AsArray()
            .Single(p => p!.Str("proposalId") == id)!["drafting"]!["problems"]!.GetValue<int>() == 1, "the list shows the bracket problem");
        Assert.Equal(edit.Number("revision"), after.Number("revision"));
    }

    [Fact]
    public async Task Circulation_is_refused_with_brackets_open_and_the_Chairs_override_is_recorded()
    {
        var id = await _my.Propose(Workflow.Unique("Notification of exercises"), Text);
        var before = await _secretariat.Fingerprint(id);
        var refused = await _chair.ProblemFromPost($"/api/proposals/{id}/circulate", new { rule = "Unanimity" }, 409, "brackets_open");
        Assert.Contains("OP1", refused.Str("detail"));
        Assert.Equal("/errors/brackets_open", refused.Str("type"));
        Assert.Equal(before, await _secretariat.Fingerprint(id));
        await _my.ProblemFromPost($"/api/proposals/{id}/circulate", new { rule = "Unanimity", openBracketsOverride = "mine" }, 403, "forbidden");
        await _chair.ProblemFromPost($"/api/proposals/{id}/circulate", new { rule = "Unanimity", openBracketsOverride = 5 }, 400, "invalid_input");

        var circulated = await _chair.PostJson($"/api/proposals/{id}/circulate", new { rule = "Unanimity", openBracketsOverride = "Ministers want both options." });
        Assert.Equal("UnderConsideration", circulated.Str("status"));
        var audit = (await _secretariat.GetJson($"/api/proposals/{id}/audit")).AsArray();
        Assert.Contains(audit, e => e!.Str("action") == "circulate-override-brackets" && e!.Str("detail").Contains("Ministers want both options.", StringComparison.Ordinal));
        var versions = (await _vn.GetJson($"/api/proposals/{id}/versions")).AsArray();
        Assert.Equal(["Proposed", "Circulated"], versions.Select(v => v!.Str("kind")));
        Assert.StartsWith("as circulated on ", versions[1]!.Str("name"));
    }

    [Fact]
    public async Task Ad_referendum_is_marked_confirmed_and_withdrawn_only_by_its_delegation_and_bad_input_stores_nothing()
    {
        var id = await _my.Propose(Workflow.Unique("Notification of exercises"), Text);
        var before = await _secretariat.Fingerprint(id);
        var path = $"/api/proposals/{id}/ad-referendum";
        await _th.ProblemFromPost(path, new { paragraph = "OP9", revision = 0, pending = "capital", by = NextWeek }, 400, "invalid_input");
        await _th.ProblemFromPost(path, new { paragraph = "OP1", revision = 0, pending = "capital", by = NextWeek }, 409, "invalid_transition");
        await _th.ProblemFromPost(path, new { paragraph = "OP2", revision = 3, pending = "capital", by = NextWeek }, 409, "stale_revision");
        await _th.ProblemFromPost(path, new { paragraph = "OP2", revision = 0, pending = "capital", by = "2020-01-01" }, 400, "invalid_input");
        var badDate = await _th.ProblemFromPost(path, new { paragraph = "OP2", revision = 0, pending = "capital", by = "next week" }, 400, "invalid_input");
        Assert.Contains("a date", badDate["errors"]!["by"]![0]!.GetValue<string>());
        await _th.ProblemFromPost(path, new { paragraph = "OP2", revision = 0, by = NextWeek }, 400, "invalid_input");
        await _th.ProblemFromPost(path, new { paragraph = "OP2", revision = 0, pending = new string('x', 5000), by = NextWeek }, 413, "too_large");
        await _secretariat.ProblemFromPost(path, new { paragraph = "OP2", revision = 0, pending = "capital", by = NextWeek }, 403, "forbidden");
        Assert.Equal(before, await _secretariat.Fingerprint(id));

        var marked = await _th.PostJson(path, new { paragraph = "OP2", revision = 0, pending = "confirmation by the capital", by = NextWeek }, 201);
        var op2 = marked["paragraphs"]!.AsArray().Single(p => p!["number"]?.GetValue<string>() == "OP2")!;
        Assert.Equal("AdReferendum", op2.Str("status"));
        var mark = op2["adReferendum"]![0]!;
        Assert.Equal(("TH", "Pending", NextWeek), (mark.Str("member"), mark.Str("state"), mark.Str("by")));
        await _th.ProblemFromPost(path, new { paragraph = "OP2", revision = 0, pending = "again", by = NextWeek }, 409, "conflict");
        var dashboard = (await _secretariat.GetJson("/api/proposals")).AsArray().Single(p => p!.Str("proposalId") == id)!;
        Assert.Equal(["OP2"], dashboard["drafting"]!["adReferendum"]!.AsArray().Select(n => n!.GetValue<string>()));

        var markId = mark.Number("id");
        await _vn.ProblemFromPost($"{path}/{markId}/confirm", new { note = "not ours" }, 403, "forbidden");
        await _th.ProblemFromPost($"{path}/99/confirm", new { }, 404, "not_found");
        var withdrawn = await _th.PostJson($"{path}/{markId}/withdraw", new { note = "The capital did not confirm." });
        Assert.Equal("Reopened", withdrawn["paragraphs"]![3]!.Str("status"));
        await _th.ProblemFromPost($"{path}/{markId}/confirm", new { }, 409, "invalid_transition");
    }

    [Fact]
    public async Task Versions_are_named_by_the_pen_holder_read_compared_with_attribution_and_refused_otherwise()
    {
        var id = await _my.Propose(Workflow.Unique("Notification of exercises"), "Member States should act.");
        await _th.PostJson($"/api/proposals/{id}/edits", new { baseRevision = 0, op = new object[] { 14, new { d = 6 }, "shall" } });
        await _th.ProblemFromPost($"/api/proposals/{id}/versions", new { name = "Thai draft" }, 403, "forbidden");
        await _my.ProblemFromPost($"/api/proposals/{id}/versions", new { name = "" }, 400, "invalid_input");
        await _my.ProblemFromPost($"/api/proposals/{id}/versions", new { name = new string('n', 201) }, 413, "too_large");
        await _my.ProblemFromPost($"/api/proposals/{id}/versions", new { title = "x" }, 400, "invalid_input");
        var named = await _my.PostJson($"/api/proposals/{id}/versions", new { name = "Kuala Lumpur draft" }, 201);
        Assert.Equal((2L, "Named", 1L, "MY"), (named.Number("version"), named.Str("kind"), named.Number("revision"), named.Str("by")));

        var v1 = await _vn.GetJson($"/api/proposals/{id}/versions/1");
        Assert.Equal("Member States should act.", v1.Str("text"));
        Assert.Equal("OP1", v1["structure"]!["paragraphs"]![0]!.Str("number"));
        Assert.Equal("Current", (await _vn.GetJson($"/api/proposals/{id}/versions/current"))["version"]!.Str("kind"));
        await _vn.ProblemFromGet($"/api/proposals/{id}/versions/latest", 400, "invalid_input");
        await _vn.ProblemFromGet($"/api/proposals/{id}/versions/7", 404, "not_found");

        var compare = await _vn.GetJson($"/api/proposals/{id}/compare?from=1&to=2");
        Assert.Equal(
            ["Same:Member States :", "Deleted:should:TH", "Inserted:shall:TH", "Same: act.:"],
            compare["segments"]!.AsArray().Select(s => $"{s!.Str("kind")}:{s!.Str("text")}:{s!["member"]?.GetValue<string>()}"));
        Assert.Equal(5, compare["authors"]![0]!.Number("inserted"));
        Assert.Equal(6, compare["authors"]![0]!.Number("deleted"));
        Assert.Equal(["OP1"], compare["changedParagraphs"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(2, (await _vn.GetJson($"/api/proposals/{id}/compare?from=1"))["segments"]!.AsArray().Count(s => s!.Str("kind") != "Same"));
        await _vn.ProblemFromGet($"/api/proposals/{id}/compare?from=2&to=1", 400, "invalid_input");
        await _vn.ProblemFromGet($"/api/proposals/{id}/compare?from=x", 400, "invalid_input");
        await _vn.ProblemFromGet($"/api/proposals/{id}/compare", 400, "invalid_input");
        await _vn.ProblemFromGet($"/api/proposals/{id}/sign-offs/VN/changes", 404, "not_found");

        // What changed since Viet Nam's sign-off.
        await _chair.Circulate(id);
        var revision = (await _vn.Proposal(id)).Number("revision");
        await _vn.SignOff(id, "VN", "Concur", revision);
        await _th.PostJson($"/api/proposals/{id}/edits", new { baseRevision = revision, op = new object[] { 24, " together" } });
        var since = await _vn.GetJson($"/api/proposals/{id}/sign-offs/VN/changes");
        Assert.Equal(revision, since["from"]!.Number("revision"));
        Assert.StartsWith("Viet Nam's position (Concur) on ", since["from"]!.Str("name"));
        Assert.Contains(since["segments"]!.AsArray(), s => s!.Str("kind") == "Inserted" && s!.Str("text") == " together" && s!.Str("member") == "TH");
    }

    [Fact]
    public async Task A_version_exports_to_Word_with_numbers_brackets_and_the_text_hash_in_the_footer()
    {
        var id = await _my.Propose(Workflow.Unique("Notification of exercises"), Text);
        using var response = await _vn.GetAsync($"/api/proposals/{id}/versions/1/docx").WithTimeout();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{id}-v1.docx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync().WithTimeout();

        using var document = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        var paragraphs = document.MainDocumentPart!.Document!.Body!.Elements<Paragraph>().Select(p => string.Concat(p.Descendants<WordText>().Select(t => t.Text))).ToList();
        var title = (await _vn.Proposal(id)).Str("title");
        Assert.Equal(
            [title, "PP1Recalling the Treaty of Amity and Cooperation,", "Have agreed as follows:", "OP1Member States [shall][should] notify major exercises.", "OP2The Secretariat shall keep a register."],
            paragraphs);
        var footer = string.Concat(document.MainDocumentPart.FooterParts.Single().Footer!.Descendants<WordText>().Select(t => t.Text));
        var version = (await _vn.GetJson($"/api/proposals/{id}/versions"))[0]!;
        Assert.Equal($"{id} · version 1 ({version.Str("name")}) · SHA-256 {version.Str("textHash")}", footer);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Text))), version.Str("textHash"));

        await _vn.ProblemFromGet($"/api/proposals/{id}/versions/1/docx?amendments=all", 400, "invalid_input");
        Assert.Empty(document.MainDocumentPart.Document.Body!.Descendants<InsertedRun>());
        await _vn.ProblemFromGet($"/api/proposals/{id}/versions/2/docx", 404, "not_found");
    }

    [Fact]
    public async Task Open_amendments_export_as_tracked_changes_under_their_authors_name()
    {
        var id = await _my.Propose(Workflow.Unique("Notification of exercises"), Text);
        var start = Text.IndexOf("[shall][should]", StringComparison.Ordinal);
        await _th.PostJson($"/api/proposals/{id}/amendments", new { revision = 0, start, end = start + 15, replacement = "shall", justification = "Binding language." }, 201);
        var register = Text.IndexOf("register", StringComparison.Ordinal);
        await _vn.PostJson($"/api/proposals/{id}/amendments", new { revision = 0, start = register, end = register, replacement = "public ", justification = "Transparency." }, 201);
        // Overlaps Thailand's: named in the closing note, not a second tracked change on the same text.
        await _vn.PostJson($"/api/proposals/{id}/amendments", new { revision = 0, start = start + 1, end = start + 6, replacement = "must", justification = "Stronger." }, 201);

        using var response = await _my.GetAsync($"/api/proposals/{id}/versions/current/docx?amendments=tracked").WithTimeout();
        Assert.Equal(200, (int)response.StatusCode);
        using var document = WordprocessingDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync().WithTimeout()), false);
        var body = document.MainDocumentPart!.Document!.Body!;
        var deleted = body.Descendants<DeletedRun>().Single();
        Assert.Equal(("Thailand", "[shall][should]"), (deleted.Author?.Value, string.Concat(deleted.Descendants<DeletedText>().Select(t => t.Text))));
        var inserted = body.Descendants<InsertedRun>().ToList();
        Assert.Equal([("Thailand", "shall"), ("Viet Nam", "public ")], inserted.Select(i => (i.Author?.Value, string.Concat(i.Descendants<WordText>().Select(t => t.Text)))));
        var paragraphs = body.Elements<Paragraph>().Select(p => string.Concat(p.Descendants<WordText>().Select(t => t.Text))).ToList();
        Assert.Equal("OP1Member States shall notify major exercises.", paragraphs[3]);
        Assert.Equal("OP2The Secretariat shall keep a public register.", paragraphs[4]);
        Assert.Contains("a3 by Viet Nam", paragraphs[^1]);

        // Version 1 is still the current text; after an edit it is not, and cannot show the amendments.
        using var v1 = await _my.GetAsync($"/api/proposals/{id}/versions/1/docx?amendments=tracked").WithTimeout();
        Assert.Equal(200, (int)v1.StatusCode);
        await _my.PostJson($"/api/proposals/{id}/edits", new { baseRevision = 0, op = new object[] { "Draft. " } });
        await _my.ProblemFromGet($"/api/proposals/{id}/versions/1/docx?amendments=tracked", 400, "invalid_input");
    }

    [Fact]
    public async Task The_annual_report_links_an_adopted_measures_final_version_as_Word()
    {
        var title = Workflow.Unique("Adopted notification measure");
        var id = await _my.Propose(title, "Member States shall notify major exercises.");
        await _chair.Circulate(id, "NoObjection", quorum: 1);
        await _my.SignOff(id, "MY", "Concur", (await _my.Proposal(id)).Number("revision"));
        await _chair.PostJson($"/api/proposals/{id}/adoption", new { occasion = "the 38th AMM" });
        var versions = (await _vn.GetJson($"/api/proposals/{id}/versions")).AsArray();
        Assert.Equal(["Proposed", "Circulated", "Consensus", "Adopted"], versions.Select(v => v!.Str("kind")));
        var adopted = versions[^1]!;
        Assert.StartsWith("as adopted at the 38th AMM on ", adopted.Str("name"));
        var link = $"/api/proposals/{id}/versions/{adopted.Number("version")}/docx";
        Assert.Equal(adopted.Number("version"), (await _vn.Proposal(id))["summary"]!["adoptedVersion"]!.Number("version"));

        var year = DateTime.UtcNow.Year;
        await Workflow.Eventually(async () => (await (await _secretariat.GetAsync($"/api/reports/annual/{year}/markdown")).Content.ReadAsStringAsync())
            .Contains($"[final version (Word)]({link})", StringComparison.Ordinal), "the markdown report links the final version");
        var html = await (await _secretariat.GetAsync($"/api/reports/annual/{year}/html").WithTimeout()).Content.ReadAsStringAsync().WithTimeout();
        Assert.Contains($"<a href=\"{link}\">final version (Word)</a>", html, StringComparison.Ordinal);

        using var response = await _secretariat.GetAsync(link).WithTimeout();
        using var document = WordprocessingDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync().WithTimeout()), false);
        var footer = string.Concat(document.MainDocumentPart!.FooterParts.Single().Footer!.Descendants<WordText>().Select(t => t.Text));
        Assert.Equal($"{id} · version {adopted.Number("version")} ({adopted.Str("name")}) · SHA-256 {adopted.Str("textHash")}", footer);
    }

    [Fact]
    public async Task A_confidential_group_drafts_structure_versions_comparison_and_export_stay_in_the_group()
    {
        var group = await _chair.SetUpGroup(["MY", "TH"], "TH");
        var id = await _my.Propose(Workflow.Unique("Group draft"), Text, group);
        foreach (var path in new[] { "structure", "versions", "versions/1", "versions/1/docx", "compare?from=1", "sign-offs/MY/changes" })
        {
            await _vn.ProblemFromGet($"/api/proposals/{id}/{path}", 403, "forbidden");
        }
        await _vn.ProblemFromPost($"/api/proposals/{id}/versions", new { name = "Leak" }, 403, "forbidden");
        await _vn.ProblemFromPost($"/api/proposals/{id}/ad-referendum", new { paragraph = "OP2", revision = 0, pending = "capital", by = NextWeek }, 403, "forbidden");
        Assert.DoesNotContain((await _vn.GetJson("/api/proposals")).AsArray(), p => p!.Str("proposalId") == id);

        // The group's coordinator is its pen-holder; the proposer is not.
        await _my.ProblemFromPost($"/api/proposals/{id}/versions", new { name = "MY's" }, 403, "forbidden");
        await _th.PostJson($"/api/proposals/{id}/versions", new { name = "Coordinator's draft" }, 201);
        Assert.Equal(2, (await _secretariat.GetJson($"/api/proposals/{id}/versions")).AsArray().Count);
    }
}
