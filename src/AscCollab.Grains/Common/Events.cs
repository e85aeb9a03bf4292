using AscCollab.Text;
using Orleans;

namespace AscCollab.Grains;

// Events the grains publish (Grain.Publish) for the host to push. Each names its audience;
// the host delivers to connections of those members plus Chair and secretariat connections.

/// <summary>An edit became durable. Published after its commit, in revision order.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.EditCommitted")]
public sealed record EditCommitted(string ProposalId, long Revision, TextOperation Op, string Member, Audience Audience) : IAudienceEvent
{
    /// <summary>The <see cref="Caller.Session"/> of the author, so the host does not echo the edit to the connection that made it.</summary>
    [Id(5)]
    public string? Origin { get; init; }
}

/// <summary>
/// The edits of one durable batch (two or more), in revision order: one message to each watching
/// node instead of one per edit. Each edit keeps its own audience; <see cref="Audience"/> is the last one's.
/// </summary>
[GenerateSerializer, Immutable, Alias("AscCollab.EditsCommitted")]
public sealed record EditsCommitted(string ProposalId, IReadOnlyList<EditCommitted> Edits, Audience Audience) : IAudienceEvent;

/// <summary>A proposal's workflow state changed (status, sign-offs, deadline, level, title).</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.ProposalUpdated")]
public sealed record ProposalUpdated(ProposalSummary Summary, Audience Audience) : IAudienceEvent;

/// <summary>Consensus within an ad-hoc group changed for one of its proposals.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.GroupConsensusChanged")]
public sealed record GroupConsensusChanged(string GroupId, GroupProposalStatus Proposal, Audience Audience) : IAudienceEvent;

/// <summary>What awaits a delegation changed.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.MemberToDoChanged")]
public sealed record MemberToDoChanged(string Member, MemberToDo ToDo, Audience Audience) : IAudienceEvent;

/// <summary>The dashboard changed (Chair and secretariat only).</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.ProgressChanged")]
public sealed record ProgressChanged(ProgressOverview Overview, Audience Audience) : IAudienceEvent;

/// <summary>Who has a proposal open on one node (<see cref="Node"/>), with cursors; every node merges the others' into its presence pushes.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.NodePresence")]
public sealed record NodePresence(string ProposalId, string Node, IReadOnlyList<PresentEditor> Editors, IReadOnlyList<PresentMember> Members, int Total, Audience Audience, DateTimeOffset At) : IAudienceEvent;

/// <summary>One connection listed in presence; the cursor (code points) is at <see cref="Revision"/>, absent when <see cref="Anchor"/> is null.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.PresentEditor")]
public sealed record PresentEditor(string Member, string ConnectionId, int? Anchor, int? Head, long Revision);

/// <summary>How many connections a member has on a proposal.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.PresentMember")]
public sealed record PresentMember(string Member, int Connections);

/// <summary>What a node learns when it watches a proposal: the committed revision (edits up to it are in the log) and who may see it.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.WatchedProposal")]
public sealed record WatchedProposal(long Revision, Audience Audience);
