using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using AscCollab.Text;

namespace AscCollab.Grains;

/// <summary>
/// A proposed new measure (key: <c>p-</c> + 10 lower-case base32 characters, see <see cref="ProposalIds"/>).
/// The grain is the single sequencer of its document: every change is group-committed and
/// acknowledged only once durable. Every method throws <see cref="DomainException"/> on refusal.
/// It receives the silence-procedure deadline as a durable reminder; delivery is idempotent by
/// state, so a duplicate or late <see cref="IRemindable.ReceiveReminder"/> changes nothing.
/// </summary>
[Alias("AscCollab.IProposalGrain")]
public interface IProposalGrain : IGrainWithStringKey, IRemindable, IProposalAnnotations
{
    /// <summary>Creates the proposal; the caller is the proposer. conflict if it already exists.</summary>
    Task<ProposalSnapshot> Create(Caller caller, NewProposal proposal);

    /// <summary>The committed document and its workflow state.</summary>
    [ReadOnly]
    Task<ProposalSnapshot> Open(Caller caller);

    /// <summary>The committed summary (no text).</summary>
    [ReadOnly]
    Task<ProposalSummary> Get(Caller caller);

    /// <summary>
    /// Transforms <paramref name="op"/> over every op after <paramref name="baseRevision"/>,
    /// applies it and returns once durable. Editing contract of the hub: keep exact.
    /// </summary>
    Task<EditAck> SubmitEdit(Caller caller, long baseRevision, TextOperation op);

    /// <summary>
    /// <see cref="SubmitEdit"/> with the client's op id, stored with the edit: the same member's op id
    /// sent again (after a timeout, a reconnect or a failover to another node) is answered with the
    /// first submission's revision, waiting for it if it is still being written, and applies nothing.
    /// Op ids of the last <see cref="LimitsOptions.RecentOpIds"/> revisions are known, also after a reactivation.
    /// </summary>
    Task<EditAck> SubmitTrackedEdit(Caller caller, long baseRevision, TextOperation op, string opId);

    /// <summary>
    /// Several edits in one call, each exactly as <see cref="SubmitEdit"/> (or <see cref="SubmitTrackedEdit"/> when it
    /// has an op id) would take it, in order; they go to storage together. Answers once every one is durable or refused,
    /// one outcome per edit: a refusal or failure of one edit changes nothing for the others. At most
    /// <see cref="MaxEditsPerCall"/> edits. A node funnels its connections' concurrent edits into such calls.
    /// </summary>
    Task<IReadOnlyList<EditOutcome>> SubmitEdits(IReadOnlyList<EditSubmission> edits);

    /// <summary>The most edits one <see cref="SubmitEdits"/> call takes.</summary>
    public const int MaxEditsPerCall = 64;

    /// <summary>A node subscribes (or renews) its observer for this proposal's edits and presence; answers the committed revision and audience.</summary>
    [AlwaysInterleave]
    Task<WatchedProposal> Watch(ILiveObserver node);

    [AlwaysInterleave]
    Task Unwatch(ILiveObserver node);

    /// <summary>Who is here on one node; forwarded to every watching node with the proposal's audience.</summary>
    [AlwaysInterleave]
    [OneWay]
    Task ReportPresence(NodePresence presence);

    /// <summary>Committed edits after <paramref name="revision"/>, ascending. Editing contract of the hub: keep exact.</summary>
    [ReadOnly]
    Task<IReadOnlyList<CommittedEdit>> GetEditsSince(Caller caller, long revision);

    /// <summary>
    /// <see cref="GetEditsSince"/> for a client coming back (reconnect): <paramref name="op"/> is the edit it holds
    /// as <paramref name="revision"/> (or null), <paramref name="textHash"/> the SHA-256 of its text at that revision
    /// when it has no edit for it (or null). revision_lost when storage no longer has that revision as the client
    /// knows it (ahead of storage, or another edit there): storage lost acknowledged changes.
    /// </summary>
    [ReadOnly]
    Task<IReadOnlyList<CommittedEdit>> Resync(Caller caller, long revision, TextOperation? op, string? textHash);

    /// <summary>The committed text as it was at <paramref name="revision"/> (0 = as proposed), rebuilt from the op log.</summary>
    [ReadOnly]
    Task<RevisionText> GetTextAt(Caller caller, long revision);

    /// <summary>Chair: drafting → under consideration at the current level, under <paramref name="circulation"/>.</summary>
    Task<ProposalSnapshot> Circulate(Caller caller, Circulation circulation);

    /// <summary>Chair: sets or moves the deadline while under consideration (the silence deadline too).</summary>
    Task<ProposalSnapshot> SetDeadline(Caller caller, DateTimeOffset deadline);

    /// <summary>A delegate gives (or changes) its own member's position on the current revision.</summary>
    Task<ProposalSnapshot> SignOff(Caller caller, SignOffRequest request);

    /// <summary>A delegate takes back its own member's position (pending again); lifts its objection.</summary>
    Task<ProposalSnapshot> WithdrawSignOff(Caller caller, string member);

    /// <summary>Group coordinator or Chair: after group consensus, the draft goes to all members (drafting at that level).</summary>
    Task<ProposalSnapshot> Recommend(Caller caller);

    /// <summary>Chair: consensus reached → drafting again at the same level (unlocks editing).</summary>
    Task<ProposalSnapshot> Reopen(Caller caller, string reason);

    /// <summary>Chair: consensus of all members reached → adopted (e.g. at an AMM).</summary>
    Task<ProposalSnapshot> RecordAdoption(Caller caller, string occasion);

    /// <summary>Proposer's delegation or Chair: withdraws the proposal (final).</summary>
    Task<ProposalSnapshot> Withdraw(Caller caller, string reason);

    /// <summary>
    /// The stored receipts' facts, ascending: the caller's own member's and every adoption; all of them for the
    /// Chair (with Chair rights) and the secretariat. The newest 500 at most.
    /// </summary>
    [ReadOnly]
    Task<IReadOnlyList<ReceiptFacts>> GetReceipts(Caller caller);

    /// <summary>The audit trail, ascending.</summary>
    [ReadOnly]
    Task<IReadOnlyList<AuditEntry>> GetAudit(Caller caller);

    /// <summary>
    /// Checks the stored history: the keyed audit chain, every op row against its audit entry, the replay
    /// of the op log, the sign-offs against their entries (docs/storage.md, "Integrity"). A failure puts
    /// the proposal on an integrity hold and reports an incident.
    /// </summary>
    Task<AuditVerification> VerifyAudit(Caller caller);

    /// <summary>The background sweep's check (no caller: for the silo's own sweep); as <see cref="VerifyAudit"/>.</summary>
    Task<AuditVerification> CheckIntegrity();

    /// <summary>Secretariat: lifts the integrity hold with a reason (audited; what was found is sealed as found).</summary>
    Task<ProposalSnapshot> AcknowledgeIntegrity(Caller caller, string reason);
}
