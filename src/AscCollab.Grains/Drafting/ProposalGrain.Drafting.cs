using System.Diagnostics;
using System.Globalization;
using Orleans;
using Orleans.Runtime;
using AscCollab.Text;

namespace AscCollab.Grains;

/// <summary>Limits of the drafting records (docs/drafting.md).</summary>
public static class DraftingLimits
{
    public const int MaxMarks = 200;
    public const int MaxVersions = 500;
    public const int MaxVersionName = 200;

    /// <summary>A comparison replays at most this many revisions (too_large beyond).</summary>
    public const int MaxCompareRevisions = 200_000;
}

internal sealed partial class ProposalGrain : IProposalDrafting
{
    private (string Text, IReadOnlyList<AdReferendumMark> Marks, long Revision, DraftStructure Structure)? _structure;
    private string? _structureSignature;
    private string? _draftingSignature;
    private int _versionsPublished = -1;
    private long? _structureCheckedAt;
    private IGrainTimer? _structureTimer;

    public Task<DraftStructure> GetStructure(Caller caller) => Task.FromResult(Structure(Readable(caller)));

    public async Task<DraftStructure> MarkAdReferendum(Caller caller, AdReferendumRequest request)
    {
        var state = RequireMarker(caller);
        RequireStatus(state, "mark a paragraph ad referendum on", ProposalStatus.Drafting, ProposalStatus.UnderConsideration, ProposalStatus.Blocked, ProposalStatus.ConsensusReached);
        var pending = RequireText(request.Pending, "pending", Limits.MaxReasonLength);
        if (request.By < DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime))
        {
            throw DomainException.InvalidInput($"by ({request.By:yyyy-MM-dd}) is in the past; name the date the capital's confirmation is expected.");
        }
        if (state.AdReferendum.Count >= DraftingLimits.MaxMarks)
        {
            throw DomainException.TooLarge($"A proposal holds at most {DraftingLimits.MaxMarks} ad-referendum marks.");
        }

        // The paragraph is named in the text of request.Revision: the head, or the committed text
        // with the accepted-not-yet-durable edits after it (then its range is brought forward through them).
        var (text, marks, edits) = request.Revision == state.Revision ? (state.Text, state.AdReferendum, new List<CommittedEdit>())
            : request.Revision == Committed.Revision ? (Committed.Text, Committed.AdReferendum, _pendingEdits.Where(e => e.Revision > Committed.Revision).ToList())
            : throw DomainException.StaleRevision($"The paragraph is named in revision {request.Revision}; the text is at revision {state.Revision}. Reload the structure and mark again.");
        var named = TextStructure.Derive(GrainKey, request.Revision, "", text, marks).Paragraphs
            .FirstOrDefault(p => string.Equals(p.Number, request.Paragraph?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw DomainException.InvalidInput($"paragraph '{request.Paragraph}' is not a paragraph of revision {request.Revision} (PP1…, OP1…).");
        if (named.Status == ParagraphStatus.Bracketed)
        {
            throw DomainException.InvalidTransition($"{named.Number} has open brackets; agree its text before agreeing it ad referendum.");
        }
        if (named.AdReferendum.Any(m => m.Member == caller.Member && m.State == MarkState.Pending))
        {
            throw DomainException.Conflict($"{caller.Member} already agreed {named.Number} ad referendum; confirm or withdraw that mark.");
        }
        var mark = new AdReferendumMark(
            state.AdReferendum.Count == 0 ? 1 : state.AdReferendum.Max(m => m.Id) + 1,
            caller.Member, pending, request.By, MarkState.Pending, time.GetUtcNow(), caller.Member, request.Revision, named.Start, named.End);
        foreach (var edit in edits)
        {
            mark = DraftAnchors.Transform([mark], edit.Op)[0];
        }
        var after = state with { AdReferendum = [.. state.AdReferendum, mark] };
        var detail = $"{caller.Member} agrees {named.Number} ad referendum (mark {mark.Id}), pending {pending}, by {request.By:yyyy-MM-dd}";
        await Accept(after, [new(caller, "ad-referendum", detail)], [], null, notify: true);
        return Structure(Committed);
    }

    public Task<DraftStructure> ConfirmAdReferendum(Caller caller, int mark, string? note) => ResolveMark(caller, mark, note, MarkState.Confirmed);

    public Task<DraftStructure> WithdrawAdReferendum(Caller caller, int mark, string? note) => ResolveMark(caller, mark, note, MarkState.Withdrawn);

    public Task<IReadOnlyList<VersionRecord>> GetVersions(Caller caller) => Task.FromResult(Readable(caller).Versions);

    public async Task<VersionRecord> NameVersion(Caller caller, string name)
    {
        var state = Writable(caller);
        if (!IsPenHolder(state, caller) && !chairmanship.HasChairRights(caller))
        {
            throw DomainException.Forbidden(state.Level == ConsensusLevel.Group
                ? "Only the group's coordinator (the pen-holder of a group draft) or the Chair names versions."
                : "Only the proposing delegation (the pen-holder) or the Chair names versions.");
        }
        RequireStatus(state, "name a version of", ProposalStatus.Drafting, ProposalStatus.UnderConsideration, ProposalStatus.Blocked, ProposalStatus.ConsensusReached, ProposalStatus.Adopted);
        var title = RequireText(name, "name", DraftingLimits.MaxVersionName);
        var after = WithVersion(state, VersionKind.Named, title, caller.Member);
        var version = after.Versions[^1];
        await Accept(after, [VersionLine(caller, version)], [], null, notify: true);
        return version;
    }

    public async Task<VersionText> GetVersion(Caller caller, int version)
    {
        var state = Readable(caller);
        var record = Version(state, version);
        var text = record.Revision == state.Revision ? state.Text : (await GetTextAt(caller, record.Revision)).Text;
        var marks = record.Revision == state.Revision ? state.AdReferendum : [];
        return new VersionText(record, state.Title, text, TextStructure.Derive(GrainKey, record.Revision, record.TextHash, text, marks));
    }

    public async Task<Comparison> Compare(Caller caller, int from, int to)
    {
        var state = Readable(caller);
        var (start, end) = (Version(state, from), Version(state, to));
        if (start.Revision > end.Revision)
        {
            throw DomainException.InvalidInput($"from ({start.Name}, revision {start.Revision}) is after to ({end.Name}, revision {end.Revision}).");
        }
        return await Compare(new CompareEnd(from == 0 ? null : from, start.Name, start.Revision, start.TextHash),
            new CompareEnd(to == 0 ? null : to, end.Name, end.Revision, end.TextHash));
    }

    public Task<Comparison> ChangesSinceSignOff(Caller caller, string member)
    {
        var state = Readable(caller);
        var signOff = state.SignOffs.FirstOrDefault(s => s.Member == member) ?? state.GroupSignOffs.FirstOrDefault(s => s.Member == member)
            ?? throw DomainException.NotFound($"{member} has no position on proposal '{GrainKey}'.");
        var who = roster.Find(member)?.Name ?? member;
        var current = Version(state, 0);
        return Compare(
            new CompareEnd(null, $"{who}'s position ({signOff.Position}) on {ShortDate(signOff.At)}", signOff.Revision, signOff.TextHash),
            new CompareEnd(null, current.Name, current.Revision, current.TextHash));
    }

    /// <summary>The committed structure, derived once per text and marks.</summary>
    private DraftStructure Structure(ProposalState state)
    {
        if (_structure is { } cached && ReferenceEquals(cached.Text, state.Text) && ReferenceEquals(cached.Marks, state.AdReferendum) && cached.Revision == state.Revision)
        {
            return cached.Structure;
        }
        var hash = state.Revision == _committedHashRevision && _committedHash is not null ? _committedHash : AuditChain.Sha256Hex(state.Text);
        var structure = TextStructure.Derive(GrainKey, state.Revision, hash, state.Text, state.AdReferendum);
        _structure = (state.Text, state.AdReferendum, state.Revision, structure);
        return structure;
    }

    private DraftingSummary DraftingOf(ProposalState state) => TextStructure.Summarize(Structure(state));

    /// <summary>After each durable batch: push new versions and a changed structure; a changed drafting summary updates lists and the dashboard.</summary>
    private void PublishDrafting(ProposalState state, bool workflowChanged)
    {
        if (!state.Created)
        {
            return;
        }
        var audience = ProposalAccess.Audience(state);
        var fresh = _versionsPublished < 0 ? [] : state.Versions.Skip(_versionsPublished);
        foreach (var version in fresh)
        {
            Publish(new VersionRecorded(GrainKey, version, audience));
        }
        _versionsPublished = state.Versions.Count;
        if (workflowChanged || StructureCheckDue())
        {
            PublishStructure(state, workflowChanged);
        }
    }

    /// <summary>
    /// Whether the structure is to be checked now: at most once per <see cref="LimitsOptions.StructureCheckMilliseconds"/>
    /// while edits stream in; a commit inside the interval leaves one check for its end (a one-shot grain timer).
    /// </summary>
    private bool StructureCheckDue()
    {
        var interval = TimeSpan.FromMilliseconds(Limits.StructureCheckMilliseconds);
        var now = Stopwatch.GetTimestamp();
        var since = _structureCheckedAt is { } at ? Stopwatch.GetElapsedTime(at, now) : TimeSpan.MaxValue;
        if (since >= interval)
        {
            return true;
        }
        _structureTimer ??= this.RegisterGrainTimer(_ =>
        {
            _structureTimer?.Dispose();
            _structureTimer = null;
            PublishStructure(Committed, workflowChanged: false);
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions { DueTime = interval - since, Period = Timeout.InfiniteTimeSpan, Interleave = true, KeepAlive = false });
        return false;
    }

    /// <summary>Checks the structure (the time is noted for <see cref="StructureCheckDue"/>): a changed one is pushed; a changed drafting summary updates lists and the dashboard.</summary>
    private void PublishStructure(ProposalState state, bool workflowChanged)
    {
        if (!state.Created)
        {
            return;
        }
        _structureCheckedAt = Stopwatch.GetTimestamp();
        var audience = ProposalAccess.Audience(state);
        var structure = Structure(state);
        var signature = TextStructure.Signature(structure);
        if (signature != _structureSignature)
        {
            _structureSignature = signature;
            Publish(new StructureChanged(structure, audience));
        }
        var summary = TextStructure.Summarize(structure);
        var drafting = string.Join('|', summary.Preambular, summary.Operative, summary.OpenBrackets, summary.Problems,
            string.Join(',', summary.Bracketed), string.Join(',', summary.AdReferendum), string.Join(',', summary.Reopened));
        if (drafting != _draftingSignature)
        {
            _draftingSignature = drafting;
            if (!workflowChanged)
            {
                var updated = Summary(state);
                Publish(new ProposalUpdated(updated, audience));
                _ = GrainFactory.GetGrain<IProgressGrain>(IProgressGrain.Key).ProposalChanged(updated);
            }
        }
    }

    /// <summary>On activation: what is committed counts as told, so nothing is pushed again.</summary>
    private void InitDrafting(ProposalState committed)
    {
        _versionsPublished = committed.Versions.Count;
        if (committed.Created)
        {
            var structure = Structure(committed);
            _structureSignature = TextStructure.Signature(structure);
            var summary = TextStructure.Summarize(structure);
            _draftingSignature = string.Join('|', summary.Preambular, summary.Operative, summary.OpenBrackets, summary.Problems,
                string.Join(',', summary.Bracketed), string.Join(',', summary.AdReferendum), string.Join(',', summary.Reopened));
        }
    }

    /// <summary>Circulation needs every bracket closed, or the Chair's override with a reason (recorded).</summary>
    private AuditLine? CheckBrackets(ProposalState state, Caller caller, string? overrideReason)
    {
        var structure = TextStructure.Derive(GrainKey, state.Revision, "", state.Text, []);
        var open = structure.Paragraphs.Where(p => p.Status == ParagraphStatus.Bracketed).Select(p => p.Number ?? "the chapeau").ToList();
        if (open.Count == 0)
        {
            return null;
        }
        if (string.IsNullOrWhiteSpace(overrideReason))
        {
            throw new DomainException(DomainErrorCodes.BracketsOpen,
                $"{string.Join(", ", open)} {(open.Count == 1 ? "has" : "have")} open brackets; circulate with openBracketsOverride and a reason to override.");
        }
        var reason = RequireText(overrideReason, "openBracketsOverride", Limits.MaxReasonLength);
        return new AuditLine(caller, "circulate-override-brackets", $"{string.Join(", ", open)} circulated with open brackets ({structure.Counts.OpenBrackets} passages, {structure.Counts.Problems} unbalanced): {reason}");
    }

    /// <summary>The state with one more version of its current text.</summary>
    private ProposalState WithVersion(ProposalState state, VersionKind kind, string name, string by)
    {
        if (state.Versions.Count >= DraftingLimits.MaxVersions)
        {
            // Named versions are refused (NameVersion checks first); automatic ones never block a workflow step.
            return kind == VersionKind.Named ? throw DomainException.TooLarge($"A proposal holds at most {DraftingLimits.MaxVersions} versions.") : state;
        }
        var hash = state.Revision == _committedHashRevision && _committedHash is not null && ReferenceEquals(state.Text, Committed.Text)
            ? _committedHash : AuditChain.Sha256Hex(state.Text);
        var record = new VersionRecord(state.Versions.Count + 1, name, kind, state.Revision, hash, time.GetUtcNow(), by);
        return state with { Versions = [.. state.Versions, record] };
    }

    /// <summary>Automatic versions of a workflow change: at circulation (given by the caller), at consensus.</summary>
    private ProposalState WithAutomaticVersions(ProposalState before, ProposalState after, Caller caller)
    {
        if (after.Status == ProposalStatus.ConsensusReached && before.Status != ProposalStatus.ConsensusReached)
        {
            return WithVersion(after, VersionKind.Consensus, $"as agreed on {ShortDate(time.GetUtcNow())}", caller.Member);
        }
        return after;
    }

    private static AuditLine VersionLine(Caller caller, VersionRecord version) =>
        new(caller, "version", VersionDetail(version));

    private static string VersionDetail(VersionRecord version) =>
        $"version {version.Version} \"{version.Name}\" ({version.Kind}) of revision {version.Revision}, text sha256 {version.TextHash}";

    /// <summary>
    /// Automatic versions go into the entry of the step that made them (circulate, adopt; consensus in
    /// the status entry), so a workflow step keeps its one entry: "…; recorded as version 2 "as circulated on …"".
    /// </summary>
    private static void AppendVersions(List<AuditLine> audit, IEnumerable<VersionRecord> versions)
    {
        foreach (var version in versions)
        {
            var at = version.Kind == VersionKind.Consensus ? audit.FindLastIndex(l => l.Action == "status") : 0;
            at = at < 0 ? 0 : at;
            audit[at] = audit[at] with { Detail = $"{audit[at].Detail}; recorded as {VersionDetail(version)}" };
        }
    }

    private static string ShortDate(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private ProposalState RequireMarker(Caller caller)
    {
        var state = Writable(caller);
        if (caller.Role is not (CallerRole.Delegate or CallerRole.Chair) || !ProposalAccess.CanEdit(state, caller, roster))
        {
            throw DomainException.Forbidden($"Only a member delegation that drafts this proposal agrees paragraphs ad referendum; {caller.Member} may not.");
        }
        if (!state.Participants.Contains(caller.Member, StringComparer.Ordinal))
        {
            throw DomainException.Forbidden($"{caller.Member} does not take part in this proposal's consensus.");
        }
        return state;
    }

    private async Task<DraftStructure> ResolveMark(Caller caller, int id, string? note, MarkState to)
    {
        var state = Writable(caller);
        var mark = state.AdReferendum.FirstOrDefault(m => m.Id == id)
            ?? throw DomainException.NotFound($"Proposal '{GrainKey}' has no ad-referendum mark {id}.");
        if (caller.Role is not (CallerRole.Delegate or CallerRole.Chair) || caller.Member != mark.Member)
        {
            throw DomainException.Forbidden($"Only a delegate of {mark.Member} confirms or withdraws its ad-referendum mark.");
        }
        RequireStatus(state, "resolve an ad-referendum mark on", ProposalStatus.Drafting, ProposalStatus.UnderConsideration, ProposalStatus.Blocked, ProposalStatus.ConsensusReached, ProposalStatus.Adopted);
        if (mark.State != MarkState.Pending)
        {
            throw DomainException.InvalidTransition($"Mark {id} is already {mark.State}.");
        }
        var text = RequireText(note, "note", Limits.MaxReasonLength, required: false);
        string? withdrawnHash = null;
        if (to == MarkState.Withdrawn)
        {
            var block = TextStructure.Blocks(state.Text).FirstOrDefault(b => mark.Start < mark.End && b.Start < mark.End && b.End > mark.Start);
            withdrawnHash = block.Utf16End > block.Utf16Start ? TextStructure.ParagraphHash(state.Text, block) : null;
        }
        var resolved = mark with { State = to, ResolvedAt = time.GetUtcNow(), Note = text.Length == 0 ? null : text, WithdrawnTextHash = withdrawnHash };
        var after = state with { AdReferendum = [.. state.AdReferendum.Select(m => m.Id == id ? resolved : m)] };
        var paragraph = Structure(state).Paragraphs.FirstOrDefault(p => p.AdReferendum.Any(m => m.Id == id))?.Number ?? "a deleted paragraph";
        var detail = $"{mark.Member} {(to == MarkState.Confirmed ? "confirms" : "withdraws")} its ad-referendum agreement on {paragraph} (mark {id})" + (text.Length > 0 ? $": {text}" : "");
        await Accept(after, [new(caller, to == MarkState.Confirmed ? "ad-referendum-confirm" : "ad-referendum-withdraw", detail)], [], null, notify: true);
        return Structure(Committed);
    }

    /// <summary>Version <paramref name="number"/> of the committed state; 0 is the current text.</summary>
    private VersionRecord Version(ProposalState state, int number)
    {
        if (number == 0)
        {
            var hash = Structure(state).TextHash;
            return new VersionRecord(0, "current text", VersionKind.Current, state.Revision, hash, state.UpdatedAt, "");
        }
        return number > 0 && number <= state.Versions.Count ? state.Versions[number - 1]
            : throw DomainException.NotFound($"Proposal '{GrainKey}' has no version {number} (it has {state.Versions.Count}).");
    }

    private async Task<Comparison> Compare(CompareEnd from, CompareEnd to)
    {
        if (to.Revision > DraftingLimits.MaxCompareRevisions)
        {
            throw DomainException.TooLarge($"A comparison replays at most {DraftingLimits.MaxCompareRevisions} revisions.");
        }
        var edits = await ReadLoggedEdits(0, to.Revision);
        if (edits.Count != to.Revision + 1 || edits[0].Revision != 0)
        {
            throw DomainException.NotFound($"The history of proposal '{GrainKey}' up to revision {to.Revision} is not stored.");
        }
        var text = "";
        foreach (var edit in edits.TakeWhile(e => e.Revision <= from.Revision))
        {
            text = edit.Op.Apply(text);
        }
        var attribution = new Attribution(text);
        var result = text;
        foreach (var edit in edits.Where(e => e.Revision > from.Revision))
        {
            attribution.Apply(edit.Op, edit.Member);
            result = edit.Op.Apply(result);
        }
        var (segments, authors) = attribution.Result();
        var paragraphs = TextStructure.Derive(GrainKey, to.Revision, to.TextHash, result, []).Paragraphs;
        var changed = new List<string>();
        foreach (var (start, end) in Attribution.ChangedRanges(segments))
        {
            foreach (var p in paragraphs.Where(p => p.Start <= end && p.End >= start))
            {
                var number = p.Number ?? "chapeau";
                if (!changed.Contains(number))
                {
                    changed.Add(number);
                }
            }
        }
        return new Comparison(from, to, segments, authors, changed);
    }
}
