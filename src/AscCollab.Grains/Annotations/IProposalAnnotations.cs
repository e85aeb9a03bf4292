using Orleans;
using Orleans.Concurrency;

namespace AscCollab.Grains;

/// <summary>
/// A proposal's tabled amendments and comment threads (part of <see cref="IProposalGrain"/>;
/// docs/amendments.md). Every change is acknowledged once durable, audited and pushed as
/// <see cref="AmendmentChanged"/> / <see cref="CommentChanged"/>; refusals are <see cref="DomainException"/>s.
/// </summary>
[Alias("AscCollab.IProposalAnnotations")]
public interface IProposalAnnotations : IGrainWithStringKey
{
    /// <summary>Every amendment and thread, anchors at the committed head. For the Word export: the open amendments' range, quote, replacement and author.</summary>
    [ReadOnly]
    Task<AnnotationsView> GetAnnotations(Caller caller);

    /// <summary>A delegate of a participating member tables an amendment on a range of the text at <see cref="AmendmentDraft.Revision"/>.</summary>
    Task<Amendment> TableAmendment(Caller caller, AmendmentDraft draft);

    /// <summary>The caller's own member supports or opposes (null: takes its position back).</summary>
    Task<Amendment> TakeAmendmentPosition(Caller caller, string amendmentId, Stance? stance);

    /// <summary>Pen-holder or Chair: the amendment becomes an edit under its author's member, in one commit with its new status.</summary>
    Task<AcceptedAmendment> AcceptAmendment(Caller caller, string amendmentId);

    /// <summary>Pen-holder or Chair, with a reason.</summary>
    Task<Amendment> RejectAmendment(Caller caller, string amendmentId, string? reason);

    /// <summary>A delegate of the author's member.</summary>
    Task<Amendment> WithdrawAmendment(Caller caller, string amendmentId);

    /// <summary>A delegate of a participating member, or the Chair, starts a thread.</summary>
    Task<CommentThread> StartComment(Caller caller, CommentDraft draft);

    Task<CommentThread> ReplyToComment(Caller caller, string threadId, CommentReply reply);

    /// <summary>The thread's author, the pen-holder or the Chair.</summary>
    Task<CommentThread> ResolveComment(Caller caller, string threadId);

    /// <summary>The thread's author, the pen-holder or the Chair.</summary>
    Task<CommentThread> ReopenComment(Caller caller, string threadId);
}
