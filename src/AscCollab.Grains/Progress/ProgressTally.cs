namespace AscCollab.Grains;

/// <summary>Counts the dashboard and the annual report from proposal summaries. Pure.</summary>
public static class ProgressTally
{
    public static ProgressOverview Overview(IReadOnlyCollection<ProposalSummary> proposals, IReadOnlyList<string> members, IReadOnlyList<ActivityInfo> activities, DateTimeOffset at) => new(
        at,
        [.. PlanOfAction.Components.Select(c => new ComponentProgress(c, Count(proposals.Where(p => p.Component == c.Id))))],
        [.. activities.Select(a => new ActivityProgress(a.Id, a.Component, Count(proposals.Where(p => p.Activity == a.Id))))],
        [.. proposals.Where(p => p.Group is not null).GroupBy(p => p.Group!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new GroupProgress(g.Key, Count(g), g.Count(p => p.Level == ConsensusLevel.AllMembers || p.Status == ProposalStatus.ConsensusReached)))],
        PerMember(proposals, members));

    public static AnnualReport Report(IReadOnlyCollection<ProposalSummary> proposals, IReadOnlyList<string> members, int year, DateTimeOffset at, string? chair) => new(
        year,
        at,
        chair,
        [
            .. PlanOfAction.Components.Select(c =>
            {
                var mine = proposals.Where(p => p.Component == c.Id).OrderBy(p => p.CreatedAt).ToList();
                return new ReportSection(
                    c,
                    [.. mine.Where(p => p.Status == ProposalStatus.Adopted && p.AdoptedAt?.UtcDateTime.Year == year)],
                    [.. mine.Where(p => p.Status is ProposalStatus.UnderConsideration or ProposalStatus.ConsensusReached)],
                    [.. mine.Where(p => p.Status == ProposalStatus.Blocked)],
                    PerMember(mine, members));
            }),
        ]);

    public static IReadOnlyList<MemberProgress> PerMember(IEnumerable<ProposalSummary> proposals, IReadOnlyList<string> members)
    {
        var open = proposals.Where(p => p.Status is ProposalStatus.UnderConsideration or ProposalStatus.Blocked).ToList();
        return
        [
            .. members.Select(m =>
            {
                var positions = open.Select(p => (Proposal: p, SignOff: p.SignOffs.FirstOrDefault(s => s.Member == m))).Where(x => x.SignOff is not null).ToList();
                return new MemberProgress(
                    m,
                    PendingSignOffs: positions.Count(x => x.SignOff!.Position == Position.Pending && x.Proposal.Rule?.Kind != ConsensusRuleKind.SilenceProcedure),
                    StaleSignOffs: positions.Count(x => x.SignOff!.Position != Position.Pending && x.SignOff.Stale),
                    Objections: positions.Count(x => x.SignOff!.Position == Position.Object));
            }),
        ];
    }

    private static StatusCounts Count(IEnumerable<ProposalSummary> proposals)
    {
        var list = proposals.ToList();
        return new StatusCounts(
            list.Count(p => p.Status == ProposalStatus.Drafting),
            list.Count(p => p.Status == ProposalStatus.UnderConsideration),
            list.Count(p => p.Status == ProposalStatus.ConsensusReached),
            list.Count(p => p.Status == ProposalStatus.Adopted),
            list.Count(p => p.Status == ProposalStatus.Blocked),
            list.Count(p => p.Status == ProposalStatus.Withdrawn));
    }
}
