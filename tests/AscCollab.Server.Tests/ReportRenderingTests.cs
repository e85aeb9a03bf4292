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

    private static ReportContext Context(ProposalSummary adopted) =>
        new(new AnnualReport(2026, DateTimeOffset.UnixEpoch, null, [new ReportSection(Component, [adopted], [], [], [])]),
            new Dictionary<string, string>(), new Dictionary<string, string>());

    private static ProposalSummary Proposal(string title, ProposalStatus status) =>
        new("p-aaaaaaaaaa", title, "preventive-diplomacy", Component.Id, null, ConsensusLevel.AllMembers, status, new ConsensusRule(ConsensusRuleKind.Unanimity),
            null, 0, "MY", ["MY", "PH"], [], false, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, 1);
}
