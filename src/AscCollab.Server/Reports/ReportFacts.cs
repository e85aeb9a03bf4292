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

    public static string Level(ConsensusLevel level) => level == ConsensusLevel.Group ? "within its ad-hoc group" : "among all members";

    /// <summary>"3 of 10 concur, 1 abstains; awaiting: KH, LA" on the current revision.</summary>
    public static string SignOffs(ProposalSummary p, ReportContext context)
    {
        var current = p.SignOffs.Where(s => !s.Stale).ToList();
        var concur = current.Count(s => s.Position == Position.Concur);
        var abstain = current.Count(s => s.Position == Position.Abstain);
        var awaiting = p.SignOffs.Where(s => s.Stale || s.Position == Position.Pending).Select(s => s.Member).Order(StringComparer.Ordinal).ToList();
        var text = $"{concur} of {p.Participants.Count} concur";
        if (abstain > 0)
        {
            text += $", {abstain} abstain";
        }
        if (awaiting.Count > 0)
        {
            text += "; awaiting " + string.Join(", ", awaiting.Select(context.MemberName));
        }
        return text;
    }

    /// <summary>Current objections with their reasons.</summary>
    public static IEnumerable<(string Member, string Reason)> Objections(ProposalSummary p, ReportContext context) =>
        p.SignOffs.Where(s => !s.Stale && s.Position == Position.Object)
            .OrderBy(s => s.Member, StringComparer.Ordinal)
            .Select(s => (context.MemberName(s.Member), s.Reason ?? ""));
}
