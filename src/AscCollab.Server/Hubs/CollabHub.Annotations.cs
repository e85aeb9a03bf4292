using AscCollab.Grains;

namespace AscCollab.Server;

// Tabled amendments and comment threads (docs/hub.md, docs/amendments.md): each method forwards the
// connection's caller to the proposal grain, which enforces who may; pushes come as AmendmentChanged / CommentChanged.
internal sealed partial class CollabHub
{
    /// <summary>Every amendment and comment thread, anchors at the committed head.</summary>
    public async Task<AnnotationsView> GetAnnotations(string proposalId) =>
        await Proposal(proposalId).GetAnnotations(Caller);

    public async Task<Amendment> TableAmendment(string proposalId, AmendmentDraft draft) =>
        await Proposal(proposalId).TableAmendment(Caller, draft ?? throw Invalid("The amendment is missing."));

    /// <summary>The caller's own member's Support or Oppose; null takes it back.</summary>
    public async Task<Amendment> TakeAmendmentPosition(string proposalId, string amendmentId, Stance? stance) =>
        await Proposal(proposalId).TakeAmendmentPosition(Caller, amendmentId, stance);

    /// <summary>Pen-holder or Chair. Answers once durable and after the edit's EditApplied was written to this connection (if it has the proposal open).</summary>
    public async Task<AcceptedAmendment> AcceptAmendment(string proposalId, string amendmentId)
    {
        var connection = connections.Get(Context.ConnectionId);
        var accepted = await Proposal(proposalId).AcceptAmendment(connection.Caller, amendmentId);
        if (connections.Room(proposalId) is { } room && room.Contains(connection.Id)
            && !await room.WaitDispatchedAsync(accepted.Revision, options.CurrentValue.AckOrderingTimeout))
        {
            LiveLog.AckOrderingTimedOut(logger, proposalId, accepted.Revision, options.CurrentValue.AckOrderingTimeout.TotalMilliseconds);
        }
        return accepted;
    }

    public async Task<Amendment> RejectAmendment(string proposalId, string amendmentId, string? reason) =>
        await Proposal(proposalId).RejectAmendment(Caller, amendmentId, reason);

    public async Task<Amendment> WithdrawAmendment(string proposalId, string amendmentId) =>
        await Proposal(proposalId).WithdrawAmendment(Caller, amendmentId);

    public async Task<CommentThread> StartComment(string proposalId, CommentDraft draft) =>
        await Proposal(proposalId).StartComment(Caller, draft ?? throw Invalid("The comment is missing."));

    public async Task<CommentThread> ReplyToComment(string proposalId, string threadId, CommentReply reply) =>
        await Proposal(proposalId).ReplyToComment(Caller, threadId, reply ?? throw Invalid("The reply is missing."));

    public async Task<CommentThread> ResolveComment(string proposalId, string threadId) =>
        await Proposal(proposalId).ResolveComment(Caller, threadId);

    public async Task<CommentThread> ReopenComment(string proposalId, string threadId) =>
        await Proposal(proposalId).ReopenComment(Caller, threadId);

    private Caller Caller => connections.Get(Context.ConnectionId).Caller;

    private static DomainException Invalid(string message) => new(DomainErrorCodes.InvalidInput, message);
}
