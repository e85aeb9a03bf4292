using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using AscCollab.Storage;

namespace AscCollab.Grains;

/// <summary>
/// A proposal: the single sequencer of its document and its sign-offs. Reentrant, so edits
/// arriving while a write is in flight are accepted into the next group commit; turns still
/// never run in parallel. <c>_head</c> is the accepted state, <c>Committed</c> the durable one;
/// reads serve only the latter. Files: .Editing (SubmitEdit), .Workflow (consensus steps),
/// .Changes (accepting changes), .Notifications (events and downstream grains).
/// </summary>
[GrainType("proposal")]
[Reentrant]
internal sealed partial class ProposalGrain(
    [LoggedState("state", "proposals")] ILoggedState<ProposalState> store,
    IRoster roster,
    IChairmanship chairmanship,
    IOptionsMonitor<AscCollabOptions> options,
    AuditKeys auditKeys,
    TimeProvider time,
    ILogger<ProposalGrain> logger) : AscGrain, IProposalGrain
{
    private GroupCommit<ProposalState> _commit = null!;
    private ProposalState _head = new();
    private RecentEdits _recent = null!;
    private readonly List<CommittedEdit> _pendingEdits = [];
    // The committed state _recent ends at: a reset that keeps it (a failed write whose reload failed
    // too, or found storage behind) keeps the recent edits, so clients behind it need no log read.
    private ProposalState? _recentOf;
    private string? _committedHash;
    private long _committedHashRevision = -1;

    private LimitsOptions Limits => options.CurrentValue.Limits;

    private ProposalState Committed => _commit.Committed;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        store.State = await WithStoredText(store.State);
        _commit = new GroupCommit<ProposalState>(store, Limits.MaxRowsPerCommit, Limits.MaxCharsPerCommit, logger)
        {
            Loaded = WithStoredText,
            Linger = TimeSpan.FromMilliseconds(Limits.CommitLingerMilliseconds),
            Reset = OnReset,
            PackRows = ProposalLog.Pack,
            BatchCommitted = (state, workflowChanged) =>
            {
                _recentOf = state;
                SendEditNotifications();
                OnBatchCommitted(state, workflowChanged);
            },
            // Every change bumps the revision or appends an audit entry, so these two name a version.
            SameVersion = (stored, written) => stored.Revision == written.Revision && stored.AuditHead == written.AuditHead,
            // Every change appends at least one audit entry: the audit sequence orders versions.
            VersionOf = state => state.AuditSequence,
            RepairWindow = TimeSpan.FromSeconds(Limits.RepairWindowSeconds),
            Unrepairable = OnUnrepairable,
            Clock = time,
        };
        _head = _commit.Committed;
        InitDrafting(_head);
        _recent = new RecentEdits(Limits.RecentOpsInMemory, _head.Revision);
        _recentOf = _head;
        await LoadRecentOpIds(_head.Revision);
        await CheckTailOnActivation();
    }

    public Task<ProposalSnapshot> Open(Caller caller)
    {
        var state = Readable(caller);
        return Task.FromResult(Snapshot(state));
    }

    public Task<ProposalSummary> Get(Caller caller) => Task.FromResult(Summary(Readable(caller)));

    public async Task<IReadOnlyList<AuditEntry>> GetAudit(Caller caller)
    {
        var state = Readable(caller);
        var rows = await store.ReadLogAsync(ProposalLog.AuditStream, 1, state.AuditSequence);
        return [.. rows.SelectMany(ProposalLog.ReadAudit)];
    }

    /// <summary>The committed state, if the caller may see it; not_found before that, forbidden for outsiders.</summary>
    private ProposalState Readable(Caller caller)
    {
        var state = Committed;
        if (!state.Created)
        {
            throw DomainException.NotFound($"Proposal '{GrainKey}' does not exist.");
        }
        if (!ProposalAccess.CanSee(state, caller, chairmanship.HasChairRights(caller), roster))
        {
            throw DomainException.Forbidden($"{caller.Member} may not see proposal '{GrainKey}'.");
        }
        return state;
    }

    private ProposalSnapshot Snapshot(ProposalState state)
    {
        if (_committedHashRevision != state.Revision || _committedHash is null)
        {
            _committedHash = AuditChain.Sha256Hex(state.Text);
            _committedHashRevision = state.Revision;
        }
        var summary = Summary(state);
        return new ProposalSnapshot(GrainKey, state.Title, state.Revision, state.Text, _committedHash, state.Status, summary.SignOffs, summary);
    }

    private ProposalSummary Summary(ProposalState state) => new(
        GrainKey,
        state.Title,
        state.Activity,
        state.Component,
        state.Group,
        state.Level,
        state.Status,
        state.Rule,
        state.Deadline,
        state.Revision,
        state.Proposer,
        state.Participants,
        SignOffRules.Views(state),
        state.Confidential,
        state.CreatedAt,
        state.UpdatedAt,
        state.AdoptedAt,
        state.AuditSequence)
    {
        Drafting = state.Created ? DraftingOf(state) : null,
        AdoptedVersion = state.Status == ProposalStatus.Adopted ? state.Versions.LastOrDefault(v => v.Kind == VersionKind.Adopted) : null,
    };

    private void OnReset(ProposalState reloaded)
    {
        _head = reloaded;
        _pendingEdits.Clear();
        if (!ReferenceEquals(reloaded, _recentOf))
        {
            _recent.Clear(reloaded.Revision);
            _recentOf = reloaded;
        }
    }
}
