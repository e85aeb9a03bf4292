using System.Net;
using System.Text.Json.Nodes;

namespace AscCollab.Server.Tests;

/// <summary>
/// The annual report and the Chair's dashboard read the same proposals: a blocked measure names
/// the same objectors with the same reasons in both, also when the text changed after the
/// objection (a stale objection still blocks).
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ReportDashboardTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private AscCollabApp _app = null!;
    private HttpClient _chair = null!;

    public async Task InitializeAsync()
    {
        _app = new AscCollabApp(azurite);
        _chair = await _app.ClientFor(AscCollabApp.Chair, "chair");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_stale_objection_is_named_with_its_reason_in_the_report_as_on_the_dashboard()
    {
        var my = await _app.ClientFor("MY");
        var th = await _app.ClientFor("TH");
        var ph = await _app.ClientFor("PH");
        var title = Workflow.Unique("Maritime patrols");
        var id = await my.Propose(title, text: "Joint patrols in the agreed area.");
        await _chair.Circulate(id);
        await th.SignOff(id, "TH", "Object", 0, "The area is not defined.");
        await ph.SignOff(id, "PH", "Object", 0, "Consult the coast guards first.");
        // The text changes after the objections: they go stale and still block.
        await my.PostJson($"/api/proposals/{id}/edits", new { baseRevision = 0, op = new object[] { "Coordinated patrols. " } });

        var proposal = await my.Proposal(id);
        Assert.Equal("Blocked", proposal.Str("status"));
        Assert.All(Objections(proposal), o => Assert.True(o["stale"]!.GetValue<bool>()));

        // The dashboard: blocked proposals from the list, objectors and reasons from their sign-offs; counts per member.
        JsonNode? listed = null;
        JsonNode overview = null!;
        await Workflow.Eventually(async () =>
        {
            listed = (await _chair.GetJson("/api/proposals")).AsArray().FirstOrDefault(p => p is not null && p.Str("proposalId") == id && p.Str("status") == "Blocked" && p.Number("revision") == 1);
            overview = await _chair.GetJson("/api/progress");
            return listed is not null && Member(overview, "TH")["objections"]!.GetValue<int>() == 1;
        }, "the dashboard shows the blocked proposal at revision 1");
        var names = (await _chair.GetJson("/api/members")).AsArray().ToDictionary(m => m!.Str("code"), m => m!.Str("name"));
        var dashboard = Objections(listed!).Select(o => (Name: names[o.Str("member")], Reason: o.Str("reason"))).OrderBy(o => o.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { (names["PH"], "Consult the coast guards first."), (names["TH"], "The area is not defined.") }, dashboard);

        var year = DateTimeOffset.UtcNow.Year;
        var markdown = await Text($"/api/reports/annual/{year}/markdown");
        var html = WebUtility.HtmlDecode(await Text($"/api/reports/annual/{year}/html"));
        foreach (var report in new[] { markdown, html })
        {
            // The same objectors with the same reasons, in one line of the blocked measure.
            var line = report.Split('\n').Single(l => l.Contains("Maritime patrols", StringComparison.Ordinal) && l.Contains("objection", StringComparison.Ordinal));
            foreach (var (name, reason) in dashboard)
            {
                Assert.Contains($"{name}: “{reason}” (given on revision 0; the text has changed since)", line, StringComparison.Ordinal);
            }
            Assert.True(line.IndexOf(dashboard[0].Name, StringComparison.Ordinal) < line.IndexOf(dashboard[1].Name, StringComparison.Ordinal), line);

            // The same counts per member as the dashboard's, for every member the report lists.
            foreach (var code in new[] { "PH", "TH" })
            {
                var m = Member(overview, code);
                var row = markdown == report
                    ? $"| {names[code]} | {m["pendingSignOffs"]} | {m["staleSignOffs"]} | {m["objections"]} |"
                    : $"<tr><td>{names[code]}</td><td class=\"n\">{m["pendingSignOffs"]}</td><td class=\"n\">{m["staleSignOffs"]}</td><td class=\"n\">{m["objections"]}</td></tr>";
                Assert.Contains(row, report, StringComparison.Ordinal);
            }
        }
    }

    private static IEnumerable<JsonNode> Objections(JsonNode proposal) =>
        proposal["signOffs"]!.AsArray().Where(s => s!.Str("position") == "Object").Select(s => s!);

    private static JsonNode Member(JsonNode overview, string code) =>
        overview["members"]!.AsArray().Single(m => m!.Str("member") == code)!;

    private async Task<string> Text(string path)
    {
        var response = await _chair.GetAsync(path).WithTimeout();
        var body = await response.Content.ReadAsStringAsync().WithTimeout();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }
}
