using AscCollab.Runtime;

namespace AscCollab.Grains;

/// <summary>Counts of proposals by status.</summary>
public sealed record StatusCounts(int Drafting, int UnderConsideration, int ConsensusReached, int Adopted, int Blocked, int Withdrawn);

public sealed record ComponentProgress(PlanComponent Component, StatusCounts Counts);

public sealed record ActivityProgress(string ActivityId, string Component, StatusCounts Counts);

public sealed record GroupProgress(string GroupId, StatusCounts Counts, int WithGroupConsensus);

/// <summary>What awaits one member across proposals under consideration.</summary>
public sealed record MemberProgress(string Member, int PendingSignOffs, int StaleSignOffs, int Objections);

/// <summary>The Chair's dashboard.</summary>
public sealed record ProgressOverview(
    DateTimeOffset At,
    IReadOnlyList<ComponentProgress> Components,
    IReadOnlyList<ActivityProgress> Activities,
    IReadOnlyList<GroupProgress> Groups,
    IReadOnlyList<MemberProgress> Members);

/// <summary>One component's section of the annual report to the Summit.</summary>
public sealed record ReportSection(
    PlanComponent Component,
    IReadOnlyList<ProposalSummary> Adopted,
    IReadOnlyList<ProposalSummary> UnderConsideration,
    IReadOnlyList<ProposalSummary> Blocked,
    IReadOnlyList<MemberProgress> PendingSignOffsPerMember);

/// <summary>The data of the annual progress report (the Server renders Markdown and HTML).</summary>
public sealed record AnnualReport(int Year, DateTimeOffset GeneratedAt, string? Chair, IReadOnlyList<ReportSection> Sections);

/// <summary>
/// What the Chair and the secretariat watch (single key <see cref="Key"/>). Kept current by
/// one-way notifications from proposals; also the index of all proposals, so lists need no storage scan.
/// </summary>
public interface IProgressGrain : IGrainWithStringKey
{
    public const string Key = "asc";

    /// <summary>Proposals the caller may see (confidential group drafts only for participants, Chair, secretariat).</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<ProposalSummary>> ListProposals(Caller caller);

    /// <summary>Chair or secretariat.</summary>
    [AlwaysInterleave]
    Task<ProgressOverview> GetOverview(Caller caller);

    /// <summary>Chair or secretariat. Adopted: adopted in <paramref name="year"/>; the rest as they stand now.</summary>
    [AlwaysInterleave]
    Task<AnnualReport> GetAnnualReport(Caller caller, int year);

    /// <summary>From a proposal. Older versions are ignored.</summary>
    [OneWay]
    Task ProposalChanged(ProposalSummary summary);
}
