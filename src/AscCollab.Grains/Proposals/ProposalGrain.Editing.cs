using AscCollab.Storage;
using AscCollab.Text;

namespace AscCollab.Grains;

internal sealed partial class ProposalGrain
{
    private const int MaxLogReadRounds = 4;

    public Task<EditAck> SubmitEdit(Caller caller, long baseRevision, TextOperation op) => Submit(caller, baseRevision, op, opId: null);

    public async Task<IReadOnlyList<EditOutcome>> SubmitEdits(IReadOnlyList<EditSubmission> edits)
    {
        if (edits is not { Count: > 0 and <= IProposalGrain.MaxEditsPerCall } || edits.Any(e => e is null))
        {
            throw DomainException.InvalidInput($"One call submits 1 to {IProposalGrain.MaxEditsPerCall} edits.");
        }
        var submitted = new Task<EditAck>[edits.Count];
        // Each edit is accepted (or refused) in order before any write starts: together they make one batch.
        using (_commit.Hold())
        {
            for (var i = 0; i < edits.Count; i++)
            {
                var edit = edits[i];
                submitted[i] = edit.OpId is { } opId
                    ? SubmitTrackedEdit(edit.Caller, edit.BaseRevision, edit.Op, opId)
                    : Submit(edit.Caller, edit.BaseRevision, edit.Op, opId: null);
            }
        }
        var outcomes = new EditOutcome[edits.Count];
        for (var i = 0; i < edits.Count; i++)
        {
            try
            {
                outcomes[i] = new EditOutcome(await submitted[i], null);
            }
            catch (Exception ex)
            {
                outcomes[i] = new EditOutcome(null, ex);
            }
        }
        return outcomes;
    }

    private async Task<EditAck> Submit(Caller caller, long baseRevision, TextOperation op, string? opId)
    {
        CheckEditable(caller, baseRevision, op);
        var older = await ReadOlderEdits(baseRevision);

        // Synchronous from here to Accept: no other turn runs in between, so the head we
        // transform against is the head we append to.
        var state = CheckEditable(caller, baseRevision, op);
        var transformed = op;
        foreach (var concurrent in ConcurrentEdits(baseRevision, older, state.Revision))
        {
            // As ShareDB servers do: the incoming op is 'left' of ops already sequenced before it.
            transformed = TextOperation.Transform(transformed, concurrent.Op, TransformSide.Left);
        }
        var length = state.TextLength + transformed.InsertedLength - transformed.DeletedLength;
        if (length > Limits.MaxTextCodePoints)
        {
            throw DomainException.TooLarge($"The edit would make the text longer than {Limits.MaxTextCodePoints} code points.");
        }
        ProposalState withText;
        try
        {
            // An op short of the text's end fits by its length; its text is computed when first read,
            // once per group commit. One that reaches the end is applied now, against the text itself.
            withText = transformed.BaseLength < state.TextLength
                ? state.WithTextAfter(transformed)
                : state with { Text = transformed.Apply(state.Text) };
        }
        catch (InvalidTextOperationException ex)
        {
            throw DomainException.InvalidOp($"The operation does not fit revision {baseRevision}: {ex.Message}");
        }

        var edit = new CommittedEdit(state.Revision + 1, transformed, caller.Member, time.GetUtcNow());
        var changesText = !transformed.IsNoop;
        var staled = changesText ? state.SignOffs.Where(s => !state.IsStale(s)).Select(s => s.Member).ToList() : [];
        var after = withText with
        {
            TextLength = length,
            Revision = edit.Revision,
            TextChangedAt = changesText ? edit.Revision : state.TextChangedAt,
            AdReferendum = DraftAnchors.Transform(state.AdReferendum, transformed),
        };
        var opRow = ProposalLog.OpRow(edit, opId);
        var audit = new List<AuditLine>(2) { new(caller, "edit", $"op sha256 {AuditChain.Sha256Hex(opRow.Json)}") };
        if (staled.Count > 0)
        {
            audit.Add(new(caller, "sign-offs-stale", $"positions of {string.Join(",", staled)} were given on earlier text; renewal asked"));
        }
        // Amendments and comment threads follow the op (marked outdated where it changed their text).
        (after, var announce) = MoveAnnotations(after, transformed, caller, audit);
        _pendingEdits.Add(edit);
        await Accept(after, audit, [opRow], () =>
        {
            OnEditCommitted(edit, after, caller.Session);
            announce?.Invoke();
        }, notify: staled.Count > 0);
        return new EditAck(edit.Revision, transformed);
    }

    public async Task<IReadOnlyList<CommittedEdit>> GetEditsSince(Caller caller, long revision)
    {
        var state = Readable(caller);
        RequireHistoryServable();
        if (revision > state.Revision)
        {
            throw RevisionLost(caller, revision, state.Revision, "edits-since");
        }
        if (revision < 0)
        {
            throw DomainException.StaleRevision($"Revision {revision} is outside 0..{state.Revision}.");
        }
        if (state.Revision - revision > Limits.MaxRevisionsBehind)
        {
            throw DomainException.StaleRevision($"Revision {revision} is more than {Limits.MaxRevisionsBehind} revisions behind; reload the proposal.");
        }
        var older = await ReadOlderEdits(revision);
        var committed = Committed.Revision;
        var edits = new List<CommittedEdit>(older);
        var from = older.Count > 0 ? older[^1].Revision : revision;
        edits.AddRange(_recent.After(from).TakeWhile(e => e.Revision <= committed));
        return edits;
    }

    public async Task<RevisionText> GetTextAt(Caller caller, long revision)
    {
        var state = Readable(caller);
        RequireHistoryServable();
        if (revision < 0 || revision > state.Revision)
        {
            throw DomainException.NotFound($"Revision {revision} is outside 0..{state.Revision}.");
        }
        if (revision == state.Revision)
        {
            return new RevisionText(revision, state.Text);
        }
        var edits = await ReadLoggedEdits(0, revision);
        if (edits.Count != revision + 1 || edits[0].Revision != 0)
        {
            throw DomainException.NotFound($"The history of proposal '{GrainKey}' up to revision {revision} is not stored.");
        }
        var text = "";
        foreach (var edit in edits)
        {
            text = edit.Op.Apply(text);
        }
        return new RevisionText(revision, text);
    }

    private ProposalState CheckEditable(Caller caller, long baseRevision, TextOperation? op)
    {
        var state = Writable(caller);
        if (!ProposalAccess.CanEdit(state, caller, roster))
        {
            throw DomainException.Forbidden($"{caller.Member} may not edit proposal '{GrainKey}'.");
        }
        if (state.Status is ProposalStatus.ConsensusReached or ProposalStatus.Adopted or ProposalStatus.Withdrawn)
        {
            throw DomainException.Locked($"The proposal is {state.Status}; its text is locked.");
        }
        if (op is null)
        {
            throw DomainException.InvalidOp("The operation is missing.");
        }
        // One limit for every path (hub and REST): the edges may refuse earlier, never later.
        if (op.Components.Count > Limits.MaxOpComponents)
        {
            throw DomainException.TooLarge($"One operation may have at most {Limits.MaxOpComponents} components.");
        }
        if (op.InsertedLength > Limits.MaxOpCodePoints)
        {
            throw DomainException.TooLarge($"One operation may insert at most {Limits.MaxOpCodePoints} code points.");
        }
        if (op.DeletedLength > Limits.MaxTextCodePoints)
        {
            // No text is that long: the delete runs past the end whatever the revision.
            throw DomainException.InvalidOp($"The operation deletes {op.DeletedLength} code points, past the end of the text (a text holds at most {Limits.MaxTextCodePoints}).");
        }
        if (baseRevision > state.Revision)
        {
            throw RevisionLost(caller, baseRevision, Committed.Revision, "edit");
        }
        if (baseRevision < 0)
        {
            throw DomainException.StaleRevision($"Base revision {baseRevision} is outside 0..{state.Revision}.");
        }
        if (state.Revision - baseRevision > Limits.MaxRevisionsBehind)
        {
            throw DomainException.StaleRevision($"Base revision {baseRevision} is more than {Limits.MaxRevisionsBehind} revisions behind; reload the proposal.");
        }
        return state;
    }

    /// <summary>Committed edits after <paramref name="revision"/> that are no longer held in memory, from the op log.</summary>
    private async Task<IReadOnlyList<CommittedEdit>> ReadOlderEdits(long revision)
    {
        var older = new List<CommittedEdit>();
        var covered = revision;
        for (var round = 0; covered < _recent.Start; round++)
        {
            if (round == MaxLogReadRounds)
            {
                throw DomainException.StaleRevision($"Revision {revision} is too far behind; reload the proposal.");
            }
            var logged = await ReadLoggedEdits(covered + 1, _recent.Start);
            foreach (var edit in logged)
            {
                if (edit.Revision != covered + 1)
                {
                    throw DomainException.StaleRevision($"The edit log no longer holds revision {covered + 1}; reload the proposal.");
                }
                older.Add(edit);
                covered = edit.Revision;
            }
            if (logged.Count == 0)
            {
                throw DomainException.StaleRevision($"The edit log no longer holds revision {covered + 1}; reload the proposal.");
            }
        }
        return older;
    }

    /// <summary>The edits with revisions <paramref name="from"/>..<paramref name="to"/> the op log holds, in order (packed rows unpacked).</summary>
    private async Task<List<CommittedEdit>> ReadLoggedEdits(long from, long to)
    {
        IReadOnlyList<LogEntry> rows;
        try
        {
            rows = await store.ReadLogAsync(ProposalLog.OpStream, ProposalLog.FirstRowKeyFor(from), to);
        }
        catch (Exception ex) when (ex is not (DomainException or OperationCanceledException))
        {
            // Storage down or stalled (e.g. after a failed write the grain reads older edits from the log).
            throw new DomainException(DomainErrorCodes.Unavailable, "Storage did not answer reading the edit log; nothing was applied. Retry shortly.");
        }
        return [.. rows.SelectMany(ProposalLog.ReadOps).Where(e => e.Revision >= from && e.Revision <= to)];
    }

    /// <summary>Every edit after <paramref name="baseRevision"/> up to the head: from the log, then memory, then accepted-not-yet-durable.</summary>
    private IEnumerable<CommittedEdit> ConcurrentEdits(long baseRevision, IReadOnlyList<CommittedEdit> older, long head)
    {
        var last = baseRevision;
        foreach (var edit in older.Concat(_recent.After(baseRevision)).Concat(_pendingEdits))
        {
            if (edit.Revision <= last)
            {
                continue;
            }
            if (edit.Revision != last + 1)
            {
                throw DomainException.StaleRevision($"Revision {last + 1} is not available; reload the proposal.");
            }
            last = edit.Revision;
            yield return edit;
        }
        if (last != head)
        {
            throw DomainException.StaleRevision($"Revisions {last + 1}..{head} are not available; reload the proposal.");
        }
    }

    private void OnEditCommitted(CommittedEdit edit, ProposalState after, string? origin = null)
    {
        if (_pendingEdits.Count > 0 && _pendingEdits[0].Revision == edit.Revision)
        {
            _pendingEdits.RemoveAt(0);
        }
        _recent.Add(edit with { Origin = origin });
        NotifyWatchers(new EditCommitted(GrainKey, edit.Revision, edit.Op, edit.Member, ProposalAccess.Audience(after)) { Origin = origin });
    }
}
