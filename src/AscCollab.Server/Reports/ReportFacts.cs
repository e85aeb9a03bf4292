using System.Globalization;
using AscCollab.Grains;

namespace AscCollab.Server;

/// <summary>What both renderings say about one proposal, as plain text (each rendering escapes it).</summary>
internal static class ReportFacts
{
    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Rule(ConsensusRule? rule) => rule?.Kind switch
    {
        ConsensusRuleKind.Unanimity => "unanimity",
        ConsensusRuleKind.NoObjection => rule.Quorum is { } q ? $"no objection (quorum {q})" : "no objection",
        ConsensusRuleKind.SilenceProcedure => "silence procedure",
        _ => "not yet circulated",
    };

    /// <summary>The Word export of an adopted measure's final version (relative to the server), if it has one.</summary>
    public static string? FinalVersionLink(ProposalSummary p) =>
        p.AdoptedVersion is { } v ? $"/api/proposals/{p.ProposalId}/versions/{v.Version.ToString(CultureInfo.InvariantCulture)}/docx" : null;

    public static string Level(ConsensusLevel level) => level == ConsensusLevel.Group ? "within its ad-hoc group" : "among all members";

    /// <summary>"3 of 10 concur, 1 abstains; awaiting: KH, LA" on the current revision.</summary>
    public static string SignOffs(ProposalSummary p, ReportContext context)
    {
        var current = p.SignOffs.Where(s => !s.Stale).ToList();
        var concur = current.Count(s => s.Position == Position.Concur);
        var abstain = current.Count(s => s.Position == Position.Abstain);
        var awaiting = ByName(p.SignOffs.Where(s => s.Stale || s.Position == Position.Pending).Select(s => s.Member), context);
        var text = $"{concur} of {p.Participants.Count} concur";
        if (abstain > 0)
        {
            text += $", {abstain} abstain";
        }
        if (awaiting.Count > 0)
        {
            text += "; awaiting " + string.Join(", ", awaiting);
        }
        return text;
    }

    /// <summary>
    /// "objection — Thailand: “reason”": every objection, by member name. An objection blocks whether
    /// or not the text changed after it (<see cref="SignOffRules"/>), so a stale one is named too,
    /// with the revision it was given on — as the dashboard and the proposal show it.
    /// </summary>
    public static string Blocked(ProposalSummary p, ReportContext context) =>
        "objection" + string.Concat(p.SignOffs
            .Where(s => s.Position == Position.Object)
            .Select(s => (Name: context.MemberName(s.Member), s.Reason, s.Stale, s.Revision))
            .OrderBy(o => o.Name, StringComparer.Ordinal)
            .Select(o => $" — {o.Name}: “{o.Reason ?? ""}”" + (o.Stale ? $" (given on revision {o.Revision}; the text has changed since)" : "")));

    /// <summary>Members with something pending in <paramref name="section"/>, by name, with the name.</summary>
    public static IReadOnlyList<(string Name, MemberProgress Progress)> PendingMembers(ReportSection section, ReportContext context) =>
        [.. section.PendingSignOffsPerMember
            .Where(m => m.PendingSignOffs + m.StaleSignOffs + m.Objections > 0)
            .Select(m => (Name: context.MemberName(m.Member), Progress: m))
            .OrderBy(m => m.Name, StringComparer.Ordinal)];

    /// <summary>Nothing adopted, under consideration, blocked or pending: the section is one name in <see cref="NoActivity"/>.</summary>
    public static bool HasActivity(ReportSection section) =>
        section.Adopted.Count + section.UnderConsideration.Count + section.Blocked.Count > 0
        || section.PendingSignOffsPerMember.Any(m => m.PendingSignOffs + m.StaleSignOffs + m.Objections > 0);

    /// <summary>"No activity under: 1. Political Development, 4. Post-conflict Peace Building." once, instead of a page of "None." per component.</summary>
    public static string? NoActivity(AnnualReport report) =>
        report.Sections.Where(s => !HasActivity(s)).Select(s => $"{s.Component.Number}. {s.Component.Title}").ToList() is { Count: > 0 } empty
            ? $"No activity under: {string.Join(", ", empty)}."
            : null;

    private static List<string> ByName(IEnumerable<string> members, ReportContext context) =>
        [.. members.Select(context.MemberName).Order(StringComparer.Ordinal)];
}
