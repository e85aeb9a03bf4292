namespace AscCollab.Grains;

// Comment threads on a range or paragraphs: start, reply, resolve, reopen; mentions on the to-do.
internal sealed partial class ProposalGrain
{
    /// <summary>A quote longer than this many code points is kept shortened (with an ellipsis).</summary>
    private const int MaxCommentQuote = 1_000;

    public async Task<CommentThread> StartComment(Caller caller, CommentDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        RequireCommentable(RequireParticipant(caller, "comment", chairToo: true));
        var text = CommentText(draft.Text);
        var older = await EditsForAnchor(caller, draft.Revision);

        // Synchronous from here to Accept.
        var state = RequireParticipant(caller, "comment", chairToo: true);
        RequireCommentable(state);
        var mentions = CheckMentions(state, caller, text, draft.Mentions);
        var paragraph = draft.Scope == CommentScope.Paragraph;
        if (!paragraph && draft.Start == draft.End)
        {
            throw DomainException.InvalidInput("A comment is on a range of text (start < end), or on a paragraph (scope Paragraph).");
        }
        var (start, end) = RangeAtHead(state, draft.Revision, older, draft.Start, draft.End, AnchorMode.Exact);
        if (paragraph)
        {
            (start, end) = Anchors.Paragraphs(state.Text, start, end)
                ?? throw DomainException.InvalidInput($"There is no paragraph text at {draft.Start}..{draft.End} of revision {draft.Revision}.");
        }
        var annotations = state.Annotations;
        if (annotations.Threads.Count >= Limits.MaxCommentThreads)
        {
            throw DomainException.TooLarge($"This proposal has {Limits.MaxCommentThreads} comment threads, the most it keeps.");
        }
        var quote = Anchors.Slice(state.Text, start, Math.Min(end, start + MaxCommentQuote)) + (end - start > MaxCommentQuote ? "…" : "");

        var now = time.GetUtcNow();
        var thread = new CommentThread($"c{annotations.Threads.Count + 1}", caller.Member, draft.Scope, start, end, state.Revision, quote,
            AnchorState.Current, false, null, null, now, [new Comment(1, caller.Member, text, mentions, now)]);
        var after = state with { Annotations = annotations with { Threads = [.. annotations.Threads, thread] } };
        CheckAnnotationSize(after);
        return await CommitThread(after, null, thread, [new(caller, "comment", $"{thread.Id} on {start}..{end} of revision {state.Revision}{MentionDetail(mentions)}")]);
    }

    public async Task<CommentThread> ReplyToComment(Caller caller, string threadId, CommentReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var state = RequireParticipant(caller, "comment", chairToo: true);
        RequireCommentable(state);
        var thread = FindThread(state, threadId);
        var text = CommentText(reply.Text);
        var mentions = CheckMentions(state, caller, text, reply.Mentions);
        if (thread.Comments.Count >= Limits.MaxCommentsPerThread)
        {
            throw DomainException.TooLarge($"Thread {thread.Id} has {Limits.MaxCommentsPerThread} comments, the most a thread keeps; start a new one.");
        }
        var comment = new Comment(thread.Comments.Count + 1, caller.Member, text, mentions, time.GetUtcNow());
        var changed = thread with { Comments = [.. thread.Comments, comment] };
        var after = Replace(state, changed);
        CheckAnnotationSize(after);
        return await CommitThread(after, thread, changed, [new(caller, "comment-reply", $"{thread.Id} #{comment.Number}{MentionDetail(mentions)}")]);
    }

    public Task<CommentThread> ResolveComment(Caller caller, string threadId) => SetResolved(caller, threadId, resolved: true);

    public Task<CommentThread> ReopenComment(Caller caller, string threadId) => SetResolved(caller, threadId, resolved: false);

    private async Task<CommentThread> SetResolved(Caller caller, string threadId, bool resolved)
    {
        var state = Writable(caller);
        var thread = FindThread(state, threadId);
        var own = caller.Role is CallerRole.Delegate or CallerRole.Chair && caller.Member == thread.Author;
        if (!own && !MayDecide(state, caller))
        {
            throw DomainException.Forbidden($"Only the thread's author ({thread.Author}), the pen-holder ({PenHolderOf(state)}) or the Chair {(resolved ? "resolves" : "reopens")} {thread.Id}.");
        }
        RequireCommentable(state);
        if (thread.Resolved == resolved)
        {
            throw DomainException.InvalidTransition($"{thread.Id} is {(resolved ? "resolved" : "open")} already.");
        }
        var changed = thread with
        {
            Resolved = resolved,
            ResolvedBy = resolved ? caller.Member : null,
            ResolvedAt = resolved ? time.GetUtcNow() : null,
        };
        return await CommitThread(Replace(state, changed), thread, changed, [new(caller, resolved ? "comment-resolved" : "comment-reopened", thread.Id)]);
    }

    private static void RequireCommentable(ProposalState state)
    {
        if (state.Status is ProposalStatus.Adopted or ProposalStatus.Withdrawn)
        {
            throw DomainException.Locked($"The proposal is {state.Status}; its discussion is closed.");
        }
    }

    private string CommentText(string? text)
    {
        if (text is { Length: > 0 } && text.Length > Limits.MaxCommentLength)
        {
            throw DomainException.TooLarge($"A comment is at most {Limits.MaxCommentLength} characters.");
        }
        var trimmed = RequireText(text, "text", Limits.MaxCommentLength);
        CheckFreeText(trimmed, "text");
        return trimmed;
    }

    /// <summary>The members a comment mentions; each must be a member who may see the proposal, and not too many.</summary>
    private List<string> CheckMentions(ProposalState state, Caller caller, string text, IReadOnlyList<string>? listed)
    {
        var mentions = Mentions.Of(text, listed);
        if (mentions.Count > Limits.MaxMentions)
        {
            throw DomainException.InvalidInput($"A comment mentions at most {Limits.MaxMentions} members.");
        }
        foreach (var code in mentions)
        {
            if (!roster.IsMember(code))
            {
                throw DomainException.InvalidInput($"'{code}' is not a member; mention members by their code, e.g. @MY.");
            }
            if (state.Confidential && !state.GroupParticipants.Contains(code, StringComparer.Ordinal))
            {
                throw DomainException.InvalidInput($"{code} does not take part in the group '{state.Group}' and cannot see this draft.");
            }
        }
        return [.. mentions.Where(m => m != caller.Member)];
    }

    private static string MentionDetail(List<string> mentions) => mentions.Count == 0 ? "" : $"; mentions {string.Join(",", mentions)}";

    private CommentThread FindThread(ProposalState state, string? threadId)
    {
        if (threadId is { Length: >= 2 and <= 12 } && threadId[0] == 'c' && int.TryParse(threadId.AsSpan(1), System.Globalization.NumberStyles.None, null, out var n)
            && n >= 1 && n <= state.Annotations.Threads.Count && threadId == $"c{n}")
        {
            return state.Annotations.Threads[n - 1];
        }
        throw DomainException.NotFound($"Proposal '{GrainKey}' has no comment thread '{threadId}'.");
    }

    private static ProposalState Replace(ProposalState state, CommentThread changed)
    {
        var threads = state.Annotations.Threads.ToArray();
        threads[int.Parse(changed.Id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) - 1] = changed;
        return state with { Annotations = state.Annotations with { Threads = threads } };
    }

    /// <summary>Commits a thread's change, then pushes it and updates the to-do of every member whose mention it changed.</summary>
    private async Task<CommentThread> CommitThread(ProposalState after, CommentThread? before, CommentThread changed, List<AuditLine> audit)
    {
        var view = changed with { Revision = after.Revision };
        var audience = ProposalAccess.Audience(after);
        var title = after.Title;
        var level = after.Level;
        await Accept(after, audit, [], () =>
        {
            NotifyAnnotation(new CommentChanged(GrainKey, view.Revision, view, audience));
            TellMentioned(before, view, title, level);
        }, notify: false);
        return view;
    }

    /// <summary>Members mentioned and not yet answered in an open thread, with who mentioned them last.</summary>
    private static Dictionary<string, string> PendingMentions(CommentThread? thread)
    {
        var pending = new Dictionary<string, string>(StringComparer.Ordinal);
        if (thread is null || thread.Resolved)
        {
            return pending;
        }
        foreach (var comment in thread.Comments)
        {
            pending.Remove(comment.Author);
            foreach (var member in comment.Mentions)
            {
                pending[member] = comment.Author;
            }
        }
        return pending;
    }

    private void TellMentioned(CommentThread? before, CommentThread after, string title, ConsensusLevel level)
    {
        var was = PendingMentions(before);
        var now = PendingMentions(after);
        var version = Committed.AuditSequence;
        foreach (var member in was.Keys.Union(now.Keys, StringComparer.Ordinal))
        {
            var item = now.TryGetValue(member, out var by)
                ? new ToDoItem(GrainKey, title, ToDoKind.Mention, level, after.Revision, null, null) { Thread = after.Id, By = by }
                : null;
            if (was.TryGetValue(member, out var wasBy) && item is not null && wasBy == by)
            {
                continue;
            }
            _ = GrainFactory.GetGrain<IMemberGrain>(member).ProposalNeeds($"{GrainKey}/{after.Id}", version, item);
        }
    }
}
