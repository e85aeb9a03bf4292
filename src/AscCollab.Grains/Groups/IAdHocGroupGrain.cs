using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace AscCollab.Grains;

/// <summary>
/// An ad-hoc group set up by the AMM (key: slug). <see cref="Participants"/> empty means all
/// members. <see cref="Coordinator"/> must be a participant.
/// </summary>
[GenerateSerializer, Immutable, Alias("AscCollab.GroupCharter")]
public sealed record GroupCharter(string Name, string Mandate, IReadOnlyList<string> Participants, string Coordinator, IReadOnlyList<string> Activities);

[GenerateSerializer, Immutable, Alias("AscCollab.GroupInfo")]
public sealed record GroupInfo(
    string GroupId,
    string Name,
    string Mandate,
    IReadOnlyList<string> Participants,
    bool AllMembers,
    string Coordinator,
    IReadOnlyList<string> Activities,
    string SetUpBy,
    DateTimeOffset SetUpAt);

/// <summary>Consensus within the group on one assigned proposal.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.GroupProposalStatus")]
public sealed record GroupProposalStatus(
    string ProposalId,
    string Title,
    ConsensusLevel Level,
    ProposalStatus Status,
    bool GroupConsensus,
    bool Recommended,
    IReadOnlyList<SignOffView> GroupSignOffs,
    long Version);

[Alias("AscCollab.IAdHocGroupGrain")]
public interface IAdHocGroupGrain : IGrainWithStringKey
{
    /// <summary>Chair: sets up the group. conflict when it exists.</summary>
    Task<GroupInfo> SetUp(Caller caller, GroupCharter charter);

    /// <summary>The charter; not_found when not set up. Any member may read the charter.</summary>
    [ReadOnly]
    Task<GroupInfo> Get();

    /// <summary>Consensus per assigned proposal; participants, Chair and secretariat only.</summary>
    [ReadOnly]
    Task<IReadOnlyList<GroupProposalStatus>> GetConsensus(Caller caller);

    /// <summary>From a proposal assigned to this group. Older versions are ignored.</summary>
    [OneWay]
    Task ProposalChanged(GroupProposalStatus status);
}
