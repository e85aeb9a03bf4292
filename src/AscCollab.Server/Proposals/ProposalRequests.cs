using System.ComponentModel.DataAnnotations;
using AscCollab.Grains;
using AscCollab.Text;

namespace AscCollab.Server;

// The bodies of the proposal routes. Shape is checked here; the rules (lengths from
// AscCollabOptions.Limits, who may, which status) are the grain's, which throws DomainException.

/// <summary>A new proposal under an activity; with <see cref="Group"/> it starts confidential to that ad-hoc group.</summary>
internal sealed record CreateProposalRequest(
    [property: Required] string Activity,
    [property: Required] string Title,
    [property: Required(AllowEmptyStrings = true)] string Text,
    string? Group);

/// <summary>The contract's answer to a new proposal.</summary>
internal sealed record CreatedProposal(string Id, long Revision);

/// <summary>The Chair circulates under a rule; the silence procedure needs a deadline, no-objection may name a quorum.</summary>
internal sealed record CirculateRequest(
    [property: Required] ConsensusRuleKind? Rule,
    int? Quorum,
    DateTimeOffset? Deadline,
    string? OpenBracketsOverride = null);

internal sealed record DeadlineRequest([property: Required] DateTimeOffset? Deadline);

/// <summary>A member's position on the text at <see cref="Revision"/> (it must be the current one).</summary>
internal sealed record SignOffBody(
    [property: Required, AllowedValues(Grains.Position.Concur, Grains.Position.Abstain, Grains.Position.Object)] Position? Position,
    [property: Required, Range(0, long.MaxValue)] long? Revision,
    string? Reason);

internal sealed record ReasonRequest(string? Reason);

internal sealed record AdoptionRequest([property: Required] string Occasion);

/// <summary>An edit over HTTP, for clients without the hub: the same operation and transform as <c>SubmitEdit</c>.</summary>
internal sealed record EditRequest(
    [property: Required, Range(0, long.MaxValue)] long? BaseRevision,
    [property: Required] TextOperation? Op);
