using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace AscCollab.Grains;

/// <summary>Counts of proposals by status.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.StatusCounts")]
public sealed record StatusCounts(int Drafting, int UnderConsideration, int ConsensusReached, int Adopted, int Blocked, int Withdrawn);

[GenerateSerializer, Immutable, Alias("AscCollab.ComponentProgress")]
public sealed record ComponentProgress(PlanComponent Component, StatusCounts Counts);

[GenerateSerializer, Immutable, Alias("AscCollab.ActivityProgress")]
public sealed record ActivityProgress(string ActivityId, string Component, StatusCounts Counts);

[GenerateSerializer, Immutable, Alias("AscCollab.GroupProgress")]
public sealed record GroupProgress(string GroupId, StatusCounts Counts, int WithGroupConsensus);

/// <summary>What awaits one member across proposals under consideration.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.MemberProgress")]
public sealed record MemberProgress(string Member, int PendingSignOffs, int StaleSignOffs, int Objections);

/// <summary>The Chair's dashboard.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.ProgressOverview")]
public sealed record ProgressOverview(
    DateTimeOffset At,
    IReadOnlyList<ComponentProgress> Components,
    IReadOnlyList<ActivityProgress> Activities,
    IReadOnlyList<GroupProgress> Groups,
    IReadOnlyList<MemberProgress> Members);

/// <summary>One component's section of the annual report to the Summit.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.ReportSection")]
public sealed record ReportSection(
    PlanComponent Component,
    IReadOnlyList<ProposalSummary> Adopted,
    IReadOnlyList<ProposalSummary> UnderConsideration,
    IReadOnlyList<ProposalSummary> Blocked,
    IReadOnlyList<MemberProgress> PendingSignOffsPerMember);

/// <summary>The data of the annual progress report (the Server renders Markdown and HTML).</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.AnnualReport")]
public sealed record AnnualReport(int Year, DateTimeOffset GeneratedAt, string? Chair, IReadOnlyList<ReportSection> Sections);

/// <summary>
/// What the Chair and the secretariat watch (single key <see cref="Key"/>). Kept current by
/// one-way notifications from proposals; also the index of all proposals, so lists need no storage scan.
/// </summary>
[Alias("AscCollab.IProgressGrain")]
public interface IProgressGrain : IGrainWithStringKey
{
    public const string Key = "asc";

    /// <summary>Proposals the caller may see (confidential group drafts only for participants, Chair, secretariat).</summary>
    [ReadOnly]
    Task<IReadOnlyList<ProposalSummary>> ListProposals(Caller caller);

    /// <summary>Chair or secretariat.</summary>
    [ReadOnly]
    Task<ProgressOverview> GetOverview(Caller caller);

    /// <summary>Chair or secretariat. Adopted: adopted in <paramref name="year"/>; the rest as they stand now.</summary>
    [ReadOnly]
    Task<AnnualReport> GetAnnualReport(Caller caller, int year);

    /// <summary>From a proposal. Older versions are ignored.</summary>
    [OneWay]
    Task ProposalChanged(ProposalSummary summary);
}
