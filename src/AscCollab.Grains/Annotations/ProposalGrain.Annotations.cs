using System.Text.Json;
using AscCollab.Storage;
using AscCollab.Text;

namespace AscCollab.Grains;

// What amendments and comment threads share: who may, anchors given on a revision brought to the head,
// anchors moved by every committed op, the storage budget, and the pushes (docs/amendments.md).
internal sealed partial class ProposalGrain
{
    public Task<AnnotationsView> GetAnnotations(Caller caller)
    {
        var state = Readable(caller);
        return Task.FromResult(new AnnotationsView(
            state.Revision,
            [.. state.Annotations.Amendments.Select(a => a with { Revision = state.Revision })],
            [.. state.Annotations.Threads.Select(t => t with { Revision = state.Revision })]));
    }

    /// <summary>The pen-holder: the proposer's delegation; for a group draft still at group level, the group's coordinator.</summary>
    private static bool IsPenHolder(ProposalState state, Caller caller) =>
        caller.Role is CallerRole.Delegate or CallerRole.Chair
        && string.Equals(caller.Member, state.Level == ConsensusLevel.Group && state.Coordinator is not null ? state.Coordinator : state.Proposer, StringComparison.Ordinal);

    private bool MayDecide(ProposalState state, Caller caller) => IsPenHolder(state, caller) || chairmanship.HasChairRights(caller);

    private static bool IsParticipant(ProposalState state, Caller caller) =>
        caller.Role is CallerRole.Delegate or CallerRole.Chair && state.Participants.Contains(caller.Member, StringComparer.Ordinal);

    /// <summary>The head, if the caller's member participates at the current level (or, with <paramref name="chairToo"/>, holds the Chair).</summary>
    private ProposalState RequireParticipant(Caller caller, string what, bool chairToo = false)
    {
        var state = Writable(caller);
        if (caller.Role == CallerRole.Secretariat)
        {
            throw DomainException.Forbidden($"The secretariat reads and reports; it does not {what}.");
        }
        if (!IsParticipant(state, caller) && !(chairToo && chairmanship.HasChairRights(caller)))
        {
            throw DomainException.Forbidden(state.Level == ConsensusLevel.Group
                ? $"Only the participants of the group '{state.Group}' {what} on this draft; {caller.Member} is not one."
                : $"Only the members this proposal is before {what}; {caller.Member} is not one.");
        }
        return state;
    }

    private static void RequireAmendable(ProposalState state)
    {
        if (state.Status is ProposalStatus.ConsensusReached or ProposalStatus.Adopted or ProposalStatus.Withdrawn)
        {
            throw DomainException.Locked($"The proposal is {state.Status}; its text and its amendments are locked.");
        }
    }

    /// <summary>Committed edits after <paramref name="revision"/> no longer in memory; checks the revision's window first.</summary>
    private async Task<IReadOnlyList<CommittedEdit>> EditsForAnchor(Caller caller, long revision)
    {
        CheckAnchorRevision(Writable(caller), revision);
        return await ReadOlderEdits(revision);
    }

    private void CheckAnchorRevision(ProposalState state, long revision)
    {
        if (revision < 0 || revision > state.Revision)
        {
            throw DomainException.StaleRevision($"Revision {revision} is outside 0..{state.Revision}.");
        }
        if (state.Revision - revision > Limits.MaxRevisionsBehind)
        {
            throw DomainException.StaleRevision($"Revision {revision} is more than {Limits.MaxRevisionsBehind} revisions behind; reload the proposal.");
        }
    }

    /// <summary>
    /// [<paramref name="start"/>, <paramref name="end"/>) in the text of <paramref name="revision"/>, brought to the head
    /// through every edit since; invalid_input outside the text, conflict when one of those edits changed it.
    /// Synchronous: call it in the turn that accepts the change.
    /// </summary>
    private (int Start, int End) RangeAtHead(ProposalState state, long revision, IReadOnlyList<CommittedEdit> older, int start, int end, AnchorMode mode)
    {
        CheckAnchorRevision(state, revision);
        var concurrent = ConcurrentEdits(revision, older, state.Revision).ToList();
        var length = state.TextLength - concurrent.Sum(e => e.Op.InsertedLength - e.Op.DeletedLength);
        if (start < 0 || end < start || end > length)
        {
            throw DomainException.InvalidInput($"start and end must satisfy 0 <= start <= end <= {length} (the length of the text at revision {revision} in code points); got {start} and {end}.");
        }
        foreach (var edit in concurrent)
        {
            var moved = Anchors.Move(start, end, mode, edit.Op);
            if (moved.Touched)
            {
                throw DomainException.Conflict($"The text at {start}..{end} of revision {revision} was changed by revision {edit.Revision}; reload and try again.");
            }
            (start, end) = (moved.Start, moved.End);
        }
        return (start, end);
    }

    /// <summary>
    /// The stored size of <paramref name="after"/>'s annotations against <see cref="LimitsOptions.MaxAnnotationBytes"/>:
    /// counts and lengths alone do not bound it (many tiny records), and a state row over Azure's limit would fail every edit.
    /// </summary>
    private void CheckAnnotationSize(ProposalState after)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(after.Annotations, StateJson.Options).Length;
        if (bytes > Limits.MaxAnnotationBytes)
        {
            throw DomainException.TooLarge($"This proposal's amendments and comments would take {bytes} bytes, over the {Limits.MaxAnnotationBytes} it keeps; decided amendments and resolved threads count too.");
        }
    }

    /// <summary>
    /// After an op: every pending amendment's and every thread's anchor moved through it; those it changed
    /// marked outdated (or detached), audited under <paramref name="editor"/>. The returned action pushes
    /// them once the op is durable. Synchronous, in the turn that accepts the op.
    /// </summary>
    private (ProposalState State, Action? Announce) MoveAnnotations(ProposalState after, TextOperation op, Caller editor, List<AuditLine> audit, string? except = null)
    {
        var annotations = after.Annotations;
        if (op.IsNoop || (annotations.Amendments.Count == 0 && annotations.Threads.Count == 0))
        {
            return (after, null);
        }
        List<Amendment>? amendments = null;
        List<CommentThread>? threads = null;
        var changedAmendments = new List<Amendment>();
        var changedThreads = new List<CommentThread>();
        for (var i = 0; i < annotations.Amendments.Count; i++)
        {
            var a = annotations.Amendments[i];
            if (!a.IsPending || a.Id == except)
            {
                continue;
            }
            var moved = Anchors.Move(a.Start, a.End, AnchorMode.Exact, op);
            var next = a with { Start = moved.Start, End = moved.End };
            if (moved.Touched && a.Status == AmendmentStatus.Open)
            {
                next = next with { Status = AmendmentStatus.Outdated, OutdatedAt = after.Revision };
                audit.Add(new(editor, "amendment-outdated", $"{a.Id} by {a.Author}: the text it amends was changed by revision {after.Revision}"));
                changedAmendments.Add(next);
            }
            if (next != a)
            {
                amendments ??= [.. annotations.Amendments];
                amendments[i] = next;
            }
        }
        for (var i = 0; i < annotations.Threads.Count; i++)
        {
            var t = annotations.Threads[i];
            if (t.Anchor == AnchorState.Detached)
            {
                continue;
            }
            var paragraph = t.Scope == CommentScope.Paragraph;
            var moved = Anchors.Move(t.Start, t.End, paragraph ? AnchorMode.Paragraph : AnchorMode.Exact, op);
            var anchor = paragraph
                ? (moved.Touched ? AnchorState.Detached : t.Anchor)
                : moved.End == moved.Start ? AnchorState.Detached : moved.Touched ? AnchorState.Outdated : t.Anchor;
            var next = t with { Start = moved.Start, End = moved.End, Anchor = anchor };
            if (anchor != t.Anchor)
            {
                audit.Add(new(editor, anchor == AnchorState.Detached ? "comment-detached" : "comment-outdated",
                    $"{t.Id} by {t.Author}: the text it is about was {(anchor == AnchorState.Detached ? "deleted" : "changed")} by revision {after.Revision}"));
                changedThreads.Add(next);
            }
            if (next != t)
            {
                threads ??= [.. annotations.Threads];
                threads[i] = next;
            }
        }
        if (amendments is null && threads is null)
        {
            return (after, null);
        }
        after = after with
        {
            Annotations = annotations with
            {
                Amendments = amendments ?? annotations.Amendments,
                Threads = threads ?? annotations.Threads,
            },
        };
        if (changedAmendments.Count == 0 && changedThreads.Count == 0)
        {
            return (after, null);
        }
        var revision = after.Revision;
        var audience = ProposalAccess.Audience(after);
        return (after, () =>
        {
            foreach (var a in changedAmendments)
            {
                NotifyAnnotation(new AmendmentChanged(GrainKey, revision, a with { Revision = revision }, audience));
            }
            foreach (var t in changedThreads)
            {
                NotifyAnnotation(new CommentChanged(GrainKey, revision, t with { Revision = revision }, audience));
            }
        });
    }

    /// <summary>Pushes an annotation change to the nodes watching this proposal (they route it by audience).</summary>
    private void NotifyAnnotation(IAudienceEvent evt)
    {
        // Edits committed before it go first, so a node pushes the text before what annotates it.
        SendEditNotifications();
        if (_watchers is { Count: > 0 })
        {
            _watchers.Notify(n => n.OnEvent(evt));
        }
    }

    /// <summary>Replacement, quote or comment text as given (not trimmed): no control characters but line breaks and tabs, whole code points.</summary>
    private static void CheckFreeText(string value, string name)
    {
        if (value.Any(c => char.IsControl(c) && c is not '\n' and not '\t' and not '\r'))
        {
            throw DomainException.InvalidInput($"{name} contains control characters.");
        }
        if (!CodePoints.TryCount(value, out _))
        {
            throw DomainException.InvalidInput($"{name} ends in half of a surrogate pair.");
        }
    }
}
