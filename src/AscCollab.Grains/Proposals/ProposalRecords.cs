using System.Text.Json.Serialization;
using Orleans;

namespace AscCollab.Grains;

[JsonConverter(typeof(JsonStringEnumConverter<ProposalStatus>))]
[GenerateSerializer, Alias("AscCollab.ProposalStatus")]
public enum ProposalStatus
{
    Drafting,
    UnderConsideration,
    ConsensusReached,
    Adopted,
    Blocked,
    Withdrawn,
}

/// <summary>Where a proposal stands: first among an ad-hoc group's participants, then among all members.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConsensusLevel>))]
[GenerateSerializer, Alias("AscCollab.ConsensusLevel")]
public enum ConsensusLevel
{
    Group,
    AllMembers,
}

[JsonConverter(typeof(JsonStringEnumConverter<Position>))]
[GenerateSerializer, Alias("AscCollab.Position")]
public enum Position
{
    Pending,
    Concur,
    Abstain,

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The consensus term: a member objects.")]
    Object,
}

[JsonConverter(typeof(JsonStringEnumConverter<ConsensusRuleKind>))]
[GenerateSerializer, Alias("AscCollab.ConsensusRuleKind")]
public enum ConsensusRuleKind
{
    /// <summary>Every participant concurs (or abstains) on the current revision, at least one concurs, no objection.</summary>
    Unanimity,

    /// <summary>No objection and at least <see cref="ConsensusRule.Quorum"/> current concurrences.</summary>
    NoObjection,

    /// <summary>At the deadline, no objection means consensus; an objection before it breaks silence.</summary>
    SilenceProcedure,
}

/// <summary>The rule a proposal is circulated under.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.ConsensusRule")]
public sealed record ConsensusRule(ConsensusRuleKind Kind, int? Quorum = null);

/// <summary>What the Chair circulates a proposal with. <see cref="Deadline"/> is required for the silence procedure.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.Circulation")]
public sealed record Circulation(ConsensusRule Rule, DateTimeOffset? Deadline = null)
{
    /// <summary>The Chair's reason to circulate although paragraphs are bracketed (audited); without it, brackets_open.</summary>
    [Id(2)]
    public string? OpenBracketsOverride { get; init; }
}

/// <summary>A new proposal. <see cref="Group"/> set: it starts confidential to that ad-hoc group.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.NewProposal")]
public sealed record NewProposal(string Activity, string Title, string Text, string? Group = null);

/// <summary>A sign-off request. <see cref="Member"/> must be the caller's own member; <see cref="Revision"/> the current one.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.SignOffRequest")]
public sealed record SignOffRequest(string Member, Position Position, string? Reason, long Revision);

/// <summary>
/// One member's position. <see cref="Revision"/> and <see cref="TextHash"/> (SHA-256 of the
/// UTF-8 text, lower-case hex) prove what it was given on. <see cref="Stale"/>: the text changed since.
/// </summary>
[GenerateSerializer, Immutable, Alias("AscCollab.SignOffView")]
public sealed record SignOffView(
    string Member,
    Position Position,
    string? Reason,
    long Revision,
    string? TextHash,
    DateTimeOffset? At,
    bool Stale);

/// <summary>What lists, dashboards and push updates show of a proposal (no text).</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.ProposalSummary")]
public sealed record ProposalSummary(
    string ProposalId,
    string Title,
    string Activity,
    string Component,
    string? Group,
    ConsensusLevel Level,
    ProposalStatus Status,
    ConsensusRule? Rule,
    DateTimeOffset? Deadline,
    long Revision,
    string Proposer,
    IReadOnlyList<string> Participants,
    IReadOnlyList<SignOffView> SignOffs,
    bool Confidential,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? AdoptedAt,
    long Version)
{
    /// <summary>Paragraph counts and the numbers of bracketed, ad-referendum and reopened paragraphs (docs/drafting.md).</summary>
    [Id(18)]
    public DraftingSummary? Drafting { get; init; }

    /// <summary>The version recorded at adoption (the measure's final text), once adopted.</summary>
    [Id(19)]
    public VersionRecord? AdoptedVersion { get; init; }
}

/// <summary>
/// What a delegation sees when it opens a proposal. Committed state only. Who has it open
/// (editors, presence) is host-side and not part of the grain.
/// </summary>
[GenerateSerializer, Immutable, Alias("AscCollab.ProposalSnapshot")]
public sealed record ProposalSnapshot(
    string ProposalId,
    string Title,
    long Revision,
    string Text,
    string TextHash,
    ProposalStatus Status,
    IReadOnlyList<SignOffView> SignOffs,
    ProposalSummary Summary)
{
    /// <summary>
    /// On the answer to a sign-off, its withdrawal or an adoption: the committed facts of that act, which
    /// the host signs into a receipt. Not part of the snapshot's JSON.
    /// </summary>
    [Id(8)]
    [JsonIgnore]
    public ReceiptFacts? Receipt { get; init; }
}

/// <summary>The answer to an edit: the revision after the op and the op as applied (transformed).</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.EditAck")]
public sealed record EditAck(long Revision, AscCollab.Text.TextOperation Op);

/// <summary>One edit of a <see cref="IProposalGrain.SubmitEdits"/> call: what <see cref="IProposalGrain.SubmitEdit"/> or (with an op id) <see cref="IProposalGrain.SubmitTrackedEdit"/> takes.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.EditSubmission")]
public sealed record EditSubmission(Caller Caller, long BaseRevision, AscCollab.Text.TextOperation Op, string? OpId);

/// <summary>The answer to one edit of a <see cref="IProposalGrain.SubmitEdits"/> call: its ack, or why it was refused or failed (nothing of it applied).</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.EditOutcome")]
public sealed record EditOutcome(EditAck? Ack, Exception? Error);

/// <summary>A committed edit. <see cref="Revision"/> is the document revision after <see cref="Op"/>.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.CommittedEdit")]
public sealed record CommittedEdit(long Revision, AscCollab.Text.TextOperation Op, string Member, DateTimeOffset At)
{
    /// <summary>
    /// The <see cref="Caller.Session"/> that submitted it, while the grain holds the edit in memory
    /// (not stored): a node that fetches edits it missed still does not echo them to their author.
    /// </summary>
    [Id(4)]
    public string? Origin { get; init; }
}

/// <summary>One hash-chained audit entry of a proposal.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.AuditEntry")]
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset At,
    string Member,
    CallerRole Role,
    string Action,
    string Detail,
    long Revision,
    string PrevHash,
    string Hash)
{
    /// <summary>The audit key the hash was made with (<see cref="AuditKeyRing"/>); null on entries written before keys (plain SHA-256).</summary>
    [Id(9)]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? KeyId { get; init; }
}

/// <summary>The result of recomputing a proposal's audit chain. <see cref="FirstBrokenSequence"/> is null when intact.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.AuditVerification")]
public sealed record AuditVerification(bool Intact, long Entries, long? FirstBrokenSequence, string? Problem, string? HeadHash)
{
    /// <summary>The first failed check: audit, op_log, replay, sign_off or hold (null when intact); <see cref="Location"/> says where.</summary>
    [Id(5)] public string? Check { get; init; }
    [Id(6)] public string? Location { get; init; }

    /// <summary>Every problem found, acknowledged ones (before the secretariat's last acknowledgement, sealed as found) included.</summary>
    [Id(7)] public IReadOnlyList<IntegrityProblem> Problems { get; init; } = [];

    /// <summary>Op rows checked against their audit entries, and replayed.</summary>
    [Id(8)] public long OpsChecked { get; init; }

    /// <summary>Entries written before keys (legacy "sha256"); only accepted with AscCollab:Integrity:AllowUnkeyedEntries.</summary>
    [Id(9)] public long UnkeyedEntries { get; init; }

    /// <summary>The key ids the entries were signed with.</summary>
    [Id(10)] public IReadOnlyList<string> KeyIds { get; init; } = [];

    /// <summary>The proposal's integrity hold, if it is on one.</summary>
    [Id(11)] public IntegrityHold? Hold { get; init; }
}

/// <summary>A proposal's text at one revision.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.RevisionText")]
public sealed record RevisionText(long Revision, string Text);
