using AscCollab.Text;

namespace AscCollab.Grains;

// Events the grains publish (Grain.Publish) for the host to push. Each names its audience;
// the host delivers to connections of those members plus Chair and secretariat connections.

/// <summary>An edit became durable. Published after its commit, in revision order.</summary>
public sealed record EditCommitted(string ProposalId, long Revision, TextOperation Op, string Member, Audience Audience) : IAudienceEvent
{
    /// <summary>The <see cref="Caller.Session"/> of the author, so the host does not echo the edit to the connection that made it.</summary>
    public string? Origin { get; init; }
}

/// <summary>A proposal's workflow state changed (status, sign-offs, deadline, level, title).</summary>
public sealed record ProposalUpdated(ProposalSummary Summary, Audience Audience) : IAudienceEvent;

/// <summary>Consensus within an ad-hoc group changed for one of its proposals.</summary>
public sealed record GroupConsensusChanged(string GroupId, GroupProposalStatus Proposal, Audience Audience) : IAudienceEvent;

/// <summary>What awaits a delegation changed.</summary>
public sealed record MemberToDoChanged(string Member, MemberToDo ToDo, Audience Audience) : IAudienceEvent;

/// <summary>The dashboard changed (Chair and secretariat only).</summary>
public sealed record ProgressChanged(ProgressOverview Overview, Audience Audience) : IAudienceEvent;
