using System.Net;
using AscCollab.Grains;

namespace AscCollab.Server.Tests;

/// <summary>The renderings alone: what delegations type never becomes markup.</summary>
public sealed class ReportRenderingTests
{
    private static readonly PlanComponent Component = new("conflict-prevention", 3, "Conflict Prevention");

    [Fact]
    public void Markdown_escapes_titles_and_reasons()
    {
        var markdown = AnnualReportMarkdown.Render(Context(Proposal("*Bold* [link](http://x) | <b>", ProposalStatus.Adopted)));

        Assert.Contains(@"\*Bold\* \[link\](http://x) \| \<b\>", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("[link](", markdown, StringComparison.Ordinal);
        Assert.Contains("## 3. Conflict Prevention", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_encodes_titles_and_prints_on_A4()
    {
        var html = AnnualReportHtml.Render(Context(Proposal("<script>alert(1)</script>", ProposalStatus.Adopted)));

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("@page { size: A4", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocked_measures_name_the_objector_and_reason()
    {
        var blocked = Proposal("Patrols", ProposalStatus.Blocked) with
        {
            SignOffs = [new SignOffView("PH", Position.Object, "Area not defined", 0, "abc", DateTimeOffset.UnixEpoch, false)],
        };
        var report = new AnnualReport(2026, DateTimeOffset.UnixEpoch, "SG", [new ReportSection(Component, [], [], [blocked], [new MemberProgress("PH", 0, 0, 1)])]);

        var markdown = AnnualReportMarkdown.Render(new ReportContext(report, new Dictionary<string, string>(), new Dictionary<string, string> { ["PH"] = "Philippines", ["SG"] = "Singapore" }));

        Assert.Contains("Philippines: “Area not defined”", markdown, StringComparison.Ordinal);
        Assert.Contains("| Philippines | 0 | 0 | 1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("Chair: Singapore", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stale_objection_still_names_the_objector_and_reason_in_both_renderings()
    {
        // TH objected on revision 0; the text changed since. The objection still blocks (SignOffRules).
        var blocked = Proposal("Patrols", ProposalStatus.Blocked) with
        {
            Revision = 1,
            SignOffs = [new SignOffView("TH", Position.Object, "Area not defined", 0, "abc", DateTimeOffset.UnixEpoch, Stale: true)],
        };
        var context = new ReportContext(
            new AnnualReport(2026, DateTimeOffset.UnixEpoch, null, [new ReportSection(Component, [], [], [blocked], [new MemberProgress("TH", 0, 1, 1)])]),
            new Dictionary<string, string>(), new Dictionary<string, string> { ["TH"] = "Thailand" });

        var expected = "objection — Thailand: “Area not defined” (given on revision 0; the text has changed since)";
        Assert.Contains(expected, AnnualReportMarkdown.Render(context), StringComparison.Ordinal);
        Assert.Contains(expected, WebUtility.HtmlDecode(AnnualReportHtml.Render(context)), StringComparison.Ordinal);
    }

    [Fact]
    public void Components_without_activity_are_named_once_instead_of_a_page_of_none_each()
    {
        var others = new[] { new PlanComponent("political-development", 1, "Political Development"), new PlanComponent("norms", 2, "Shaping and Sharing of Norms") };
        var report = new AnnualReport(2026, DateTimeOffset.UnixEpoch, null,
        [
            new ReportSection(others[0], [], [], [], [new MemberProgress("MY", 0, 0, 0)]),
            new ReportSection(others[1], [], [], [], []),
            new ReportSection(Component, [Proposal("Hotlines", ProposalStatus.Adopted)], [], [], []),
        ]);
        var context = new ReportContext(report, new Dictionary<string, string>(), new Dictionary<string, string>());

        var markdown = AnnualReportMarkdown.Render(context);
        var html = WebUtility.HtmlDecode(AnnualReportHtml.Render(context));

        foreach (var text in new[] { markdown, html })
        {
            Assert.DoesNotContain("None.", text, StringComparison.Ordinal);
            Assert.DoesNotContain("No sign-off is pending", text, StringComparison.Ordinal);
            Assert.Contains("No activity under: 1. Political Development, 2. Shaping and Sharing of Norms.", text, StringComparison.Ordinal);
            // Once in the summary table, once in the line at the end: no section of its own.
            Assert.Equal(2, Occurrences(text, "Political Development"));
        }
        Assert.DoesNotContain("## 1. Political Development", markdown, StringComparison.Ordinal);
        Assert.Contains("## 3. Conflict Prevention", markdown, StringComparison.Ordinal);
        // Only the component with activity starts a printed page.
        Assert.Equal(1, Occurrences(html, "<section class=\"component\""));
        Assert.DoesNotContain("### Blocked", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Members_are_listed_by_name_where_names_are_shown()
    {
        // Code order and name order differ: ID < KH by code, Cambodia < Indonesia by name.
        var names = new Dictionary<string, string> { ["BN"] = "Brunei Darussalam", ["KH"] = "Cambodia", ["ID"] = "Indonesia", ["VN"] = "Viet Nam" };
        var open = Proposal("Patrols", ProposalStatus.UnderConsideration) with
        {
            Participants = ["VN", "ID", "KH", "BN"],
            SignOffs =
            [
                new SignOffView("VN", Position.Pending, null, 0, null, null, false),
                new SignOffView("ID", Position.Pending, null, 0, null, null, false),
                new SignOffView("KH", Position.Pending, null, 0, null, null, false),
                new SignOffView("BN", Position.Concur, null, 0, "abc", DateTimeOffset.UnixEpoch, false),
            ],
        };
        var blocked = Proposal("Hotlines", ProposalStatus.Blocked) with
        {
            SignOffs =
            [
                new SignOffView("ID", Position.Object, "too early", 0, "abc", DateTimeOffset.UnixEpoch, false),
                new SignOffView("KH", Position.Object, "not consulted", 0, "abc", DateTimeOffset.UnixEpoch, false),
            ],
        };
        var perMember = new[] { new MemberProgress("ID", 1, 0, 1), new MemberProgress("KH", 1, 0, 1), new MemberProgress("VN", 1, 0, 0) };
        var context = new ReportContext(new AnnualReport(2026, DateTimeOffset.UnixEpoch, null, [new ReportSection(Component, [], [open], [blocked], perMember)]),
            new Dictionary<string, string>(), names);

        foreach (var text in new[] { AnnualReportMarkdown.Render(context), WebUtility.HtmlDecode(AnnualReportHtml.Render(context)) })
        {
            Assert.Contains("awaiting Cambodia, Indonesia, Viet Nam", text, StringComparison.Ordinal);
            Assert.Contains("objection — Cambodia: “not consulted” — Indonesia: “too early”", text, StringComparison.Ordinal);
            // The last mention of each name is its row in the per-member table.
            var rows = new[] { "Cambodia", "Indonesia", "Viet Nam" }.Select(n => text.LastIndexOf(n, StringComparison.Ordinal)).ToList();
            Assert.Equal(rows.Order().ToList(), rows);
        }
    }

    private static int Occurrences(string text, string what) =>
        text.Split(what).Length - 1;

    private static ReportContext Context(ProposalSummary adopted) =>
        new(new AnnualReport(2026, DateTimeOffset.UnixEpoch, null, [new ReportSection(Component, [adopted], [], [], [])]),
            new Dictionary<string, string>(), new Dictionary<string, string>());

    private static ProposalSummary Proposal(string title, ProposalStatus status) =>
        new("p-aaaaaaaaaa", title, "preventive-diplomacy", Component.Id, null, ConsensusLevel.AllMembers, status, new ConsensusRule(ConsensusRuleKind.Unanimity),
            null, 0, "MY", ["MY", "PH"], [], false, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, 1);
}
