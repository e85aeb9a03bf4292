using AscCollab.Text;

namespace AscCollab.Grains;

// Tabled amendments: table, support or oppose, accept (an edit under the author's name), reject, withdraw.
internal sealed partial class ProposalGrain
{
    public async Task<Amendment> TableAmendment(Caller caller, AmendmentDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        RequireAmendable(RequireParticipant(caller, "table amendments"));
        var replacement = draft.Replacement ?? "";
        CheckFreeText(replacement, "replacement");
        if (CodePoints.Length(replacement) > Limits.MaxOpCodePoints)
        {
            throw DomainException.TooLarge($"replacement may hold at most {Limits.MaxOpCodePoints} code points.");
        }
        var justification = RequireText(draft.Justification, "justification", Limits.MaxJustificationLength);
        var older = await EditsForAnchor(caller, draft.Revision);

        // Synchronous from here to Accept: the head the range is brought to is the head the amendment joins.
        var state = RequireParticipant(caller, "table amendments");
        RequireAmendable(state);
        var (start, end) = RangeAtHead(state, draft.Revision, older, draft.Start, draft.End, AnchorMode.Exact);
        if (end - start > Limits.MaxOpCodePoints)
        {
            throw DomainException.TooLarge($"An amendment may replace or delete at most {Limits.MaxOpCodePoints} code points.");
        }
        var quote = Anchors.Slice(state.Text, start, end);
        var kind = start == end ? AmendmentKind.Insert : replacement.Length == 0 ? AmendmentKind.Delete : AmendmentKind.Replace;
        if (start == end && replacement.Length == 0)
        {
            throw DomainException.InvalidInput("An amendment at a point (start = end) inserts text: replacement is required.");
        }
        if (string.Equals(quote, replacement, StringComparison.Ordinal))
        {
            throw DomainException.InvalidInput("The replacement is the text it would replace; an amendment must change something.");
        }
        var annotations = state.Annotations;
        if (annotations.Amendments.Count(a => a.IsPending) >= Limits.MaxOpenAmendments)
        {
            throw DomainException.TooLarge($"This proposal has {Limits.MaxOpenAmendments} amendments awaiting a decision; decide or withdraw some first.");
        }

        var now = time.GetUtcNow();
        var amendment = new Amendment($"a{annotations.Amendments.Count + 1}", caller.Member, kind, AmendmentStatus.Open, start, end, state.Revision,
            quote, replacement, justification, now, state.Revision, [], null, null, null, null, null, null);
        var after = state with { Annotations = annotations with { Amendments = [.. annotations.Amendments, amendment] } };
        CheckAnnotationSize(after);
        var detail = $"{amendment.Id} ({kind}) at {start}..{end} of revision {state.Revision}: quote sha256 {AuditChain.Sha256Hex(quote)}, replacement sha256 {AuditChain.Sha256Hex(replacement)}";
        return await CommitAmendment(after, amendment, [new(caller, "amendment-tabled", detail)]);
    }

    public async Task<Amendment> TakeAmendmentPosition(Caller caller, string amendmentId, Stance? stance)
    {
        var state = RequireParticipant(caller, "support or oppose amendments");
        RequireAmendable(state);
        var amendment = FindAmendment(state, amendmentId);
        if (amendment.Author == caller.Member)
        {
            throw DomainException.Forbidden($"{caller.Member} tabled {amendment.Id}; a member does not support or oppose its own amendment.");
        }
        if (!amendment.IsPending)
        {
            throw DomainException.InvalidTransition($"{amendment.Id} is {amendment.Status}; positions are taken while it awaits a decision.");
        }
        var others = amendment.Positions.Where(p => p.Member != caller.Member);
        var positions = others.ToList();
        if (stance is { } s)
        {
            positions.Add(new AmendmentPosition(caller.Member, s, time.GetUtcNow()));
        }
        var changed = amendment with { Positions = positions };
        var detail = stance is { } given ? $"{amendment.Id}: {caller.Member} {given}" : $"{amendment.Id}: {caller.Member} took its position back";
        var after = Replace(state, changed);
        CheckAnnotationSize(after);
        return await CommitAmendment(after, changed, [new(caller, "amendment-position", detail)]);
    }

    public async Task<AcceptedAmendment> AcceptAmendment(Caller caller, string amendmentId)
    {
        var state = Writable(caller);
        var amendment = FindAmendment(state, amendmentId);
        RequireDecider(state, caller, "accept");
        RequireAmendable(state);
        if (amendment.Status != AmendmentStatus.Open)
        {
            throw DomainException.InvalidTransition(amendment.Status == AmendmentStatus.Outdated
                ? $"{amendment.Id} is outdated: the text it amends changed at revision {amendment.OutdatedAt}. Reject it, or its author withdraws it and tables a new one."
                : $"{amendment.Id} is {amendment.Status} already.");
        }
        var op = TextOperation.FromComponents(new TextComponent?[]
        {
            amendment.Start > 0 ? new Retain(amendment.Start) : null,
            amendment.End > amendment.Start ? new Delete(amendment.End - amendment.Start) : null,
            amendment.Replacement.Length > 0 ? new Insert(amendment.Replacement) : null,
        }.OfType<TextComponent>());
        var length = state.TextLength + op.InsertedLength - op.DeletedLength;
        if (length > Limits.MaxTextCodePoints)
        {
            throw DomainException.TooLarge($"Accepting {amendment.Id} would make the text longer than {Limits.MaxTextCodePoints} code points.");
        }

        // The edit is the author's: the op row and its audit entry name the author's member; the acceptor signs amendment-accepted.
        var author = new Caller(amendment.Author, CallerRole.Delegate);
        var now = time.GetUtcNow();
        var edit = new CommittedEdit(state.Revision + 1, op, amendment.Author, now);
        var staled = state.SignOffs.Where(s => !state.IsStale(s)).Select(s => s.Member).ToList();
        var after = state with
        {
            Text = op.Apply(state.Text),
            TextLength = length,
            Revision = edit.Revision,
            TextChangedAt = edit.Revision,
            AdReferendum = DraftAnchors.Transform(state.AdReferendum, op),
        };
        var opRow = ProposalLog.OpRow(edit);
        var audit = new List<AuditLine> { new(author, "edit", $"op sha256 {AuditChain.Sha256Hex(opRow.Json)}") };
        if (staled.Count > 0)
        {
            audit.Add(new(author, "sign-offs-stale", $"positions of {string.Join(",", staled)} were given on earlier text; renewal asked"));
        }
        var (moved, announce) = MoveAnnotations(after, op, author, audit, except: amendment.Id);
        var accepted = amendment with
        {
            Status = AmendmentStatus.Accepted,
            End = amendment.Start + CodePoints.Length(amendment.Replacement),
            Revision = edit.Revision,
            DecidedBy = caller.Member,
            DecidedRole = caller.Role,
            DecidedAt = now,
            AppliedRevision = edit.Revision,
        };
        after = Replace(moved, accepted);
        audit.Add(new(caller, "amendment-accepted", $"{amendment.Id} by {amendment.Author} applied as revision {edit.Revision}; accepted by {caller.Member} ({caller.Role})"));
        var audience = ProposalAccess.Audience(after);
        _pendingEdits.Add(edit);
        await Accept(after, audit, [opRow], () =>
        {
            // Not an origin: the acceptor submitted no op, so its own connection receives the edit too.
            OnEditCommitted(edit, after);
            announce?.Invoke();
            NotifyAnnotation(new AmendmentChanged(GrainKey, edit.Revision, accepted, audience));
        }, notify: staled.Count > 0);
        return new AcceptedAmendment(accepted, edit.Revision);
    }

    public async Task<Amendment> RejectAmendment(Caller caller, string amendmentId, string? reason)
    {
        var state = Writable(caller);
        var amendment = FindAmendment(state, amendmentId);
        RequireDecider(state, caller, "reject");
        RequireAmendable(state);
        RequirePending(amendment);
        var why = RequireText(reason, "reason", Limits.MaxReasonLength);
        var rejected = amendment with
        {
            Status = AmendmentStatus.Rejected,
            DecidedBy = caller.Member,
            DecidedRole = caller.Role,
            DecidedAt = time.GetUtcNow(),
            Reason = why,
        };
        var after = Replace(state, rejected);
        CheckAnnotationSize(after);
        return await CommitAmendment(after, rejected, [new(caller, "amendment-rejected", $"{amendment.Id} by {amendment.Author}: {why}")]);
    }

    public async Task<Amendment> WithdrawAmendment(Caller caller, string amendmentId)
    {
        var state = Writable(caller);
        var amendment = FindAmendment(state, amendmentId);
        if (caller.Role is not (CallerRole.Delegate or CallerRole.Chair) || caller.Member != amendment.Author)
        {
            throw DomainException.Forbidden($"Only {amendment.Author}'s delegation withdraws {amendment.Id}.");
        }
        RequireAmendable(state);
        RequirePending(amendment);
        var withdrawn = amendment with
        {
            Status = AmendmentStatus.Withdrawn,
            DecidedBy = caller.Member,
            DecidedRole = caller.Role,
            DecidedAt = time.GetUtcNow(),
        };
        return await CommitAmendment(Replace(state, withdrawn), withdrawn, [new(caller, "amendment-withdrawn", $"{amendment.Id} by {amendment.Author}")]);
    }

    private void RequireDecider(ProposalState state, Caller caller, string what)
    {
        if (!MayDecide(state, caller))
        {
            throw DomainException.Forbidden($"Only the pen-holder ({PenHolderOf(state)}) or the Chair may {what} amendments.");
        }
    }

    private static string PenHolderOf(ProposalState state) =>
        state.Level == ConsensusLevel.Group && state.Coordinator is not null ? $"the group's coordinator, {state.Coordinator}" : $"the proposer, {state.Proposer}";

    private static void RequirePending(Amendment amendment)
    {
        if (!amendment.IsPending)
        {
            throw DomainException.InvalidTransition($"{amendment.Id} is {amendment.Status} already.");
        }
    }

    private Amendment FindAmendment(ProposalState state, string? amendmentId)
    {
        if (amendmentId is { Length: >= 2 and <= 12 } && amendmentId[0] == 'a' && int.TryParse(amendmentId.AsSpan(1), System.Globalization.NumberStyles.None, null, out var n)
            && n >= 1 && n <= state.Annotations.Amendments.Count && amendmentId == $"a{n}")
        {
            return state.Annotations.Amendments[n - 1];
        }
        throw DomainException.NotFound($"Proposal '{GrainKey}' has no amendment '{amendmentId}'.");
    }

    private static ProposalState Replace(ProposalState state, Amendment changed)
    {
        var amendments = state.Annotations.Amendments.ToArray();
        amendments[int.Parse(changed.Id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) - 1] = changed;
        return state with { Annotations = state.Annotations with { Amendments = amendments } };
    }

    /// <summary>Commits a change of one amendment (no text change) and pushes it once durable.</summary>
    private async Task<Amendment> CommitAmendment(ProposalState after, Amendment changed, List<AuditLine> audit)
    {
        var view = changed with { Revision = after.Revision };
        var audience = ProposalAccess.Audience(after);
        await Accept(after, audit, [], () => NotifyAnnotation(new AmendmentChanged(GrainKey, view.Revision, view, audience)), notify: false);
        return view;
    }
}
