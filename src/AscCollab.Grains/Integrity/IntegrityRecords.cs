using Orleans;

namespace AscCollab.Grains;

/// <summary>
/// Kinds of integrity incident. Reporters may add kinds (lower-case letters and '_', at most 40):
/// the registry accepts any such word, clients show unknown kinds as they are.
/// </summary>
public static class IntegrityIncidentKinds
{
    /// <summary>A proposal's keyed audit chain does not verify (an entry changed, removed, reordered, or the state's head disagrees).</summary>
    public const string ChainBroken = "chain_broken";

    /// <summary>An op row disagrees with the audit entry of its revision, or an edit has no op row.</summary>
    public const string OpLogMismatch = "op_log_mismatch";

    /// <summary>Replaying the op log does not give the stored text and revision.</summary>
    public const string ReplayMismatch = "replay_mismatch";

    /// <summary>A sign-off in the proposal's state disagrees with its audit entry.</summary>
    public const string SignOffMismatch = "sign_off_mismatch";

    /// <summary>Storage lost acknowledged data that could not be repaired (storage behind what a client or node knows).</summary>
    public const string StorageLost = "storage_lost";

    /// <summary>A signed receipt names a revision or audit head newer than storage holds.</summary>
    public const string ReceiptAhead = "receipt_ahead";

    /// <summary>A signed receipt's audit entry is held by storage with other content (history rewritten, or a lost sequence reused).</summary>
    public const string ReceiptDiffers = "receipt_differs";

    public static bool IsValid(string? kind) =>
        kind is { Length: > 0 and <= 40 } && kind.All(c => c is (>= 'a' and <= 'z') or '_');
}

/// <summary>
/// What a reporter tells the integrity registry (<see cref="IIntegrityGrain.Report"/>). <see cref="Location"/>
/// says where (e.g. "audit 17", "op 42", "sign-off TH", "revision 630"); <see cref="Reporter"/> names the
/// component ("proposal", "background-check", "reconnect", "receipts"). <see cref="Holds"/>: the proposal
/// is on an integrity hold because of it, and is acknowledged through the proposal (it lifts the hold).
/// </summary>
[GenerateSerializer, Immutable, Alias("AscCollab.IntegrityReport")]
public sealed record IntegrityReport(string Kind, string? ProposalId, string Location, string Detail, string Reporter, bool Holds = false);

/// <summary>The Secretariat's acknowledgement of an incident.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.IntegrityAcknowledgement")]
public sealed record IntegrityAcknowledgement(string Member, CallerRole Role, string Reason, DateTimeOffset At);

/// <summary>
/// One integrity incident as the registry holds it. The same open incident reported again (same kind,
/// proposal and location) counts <see cref="Occurrences"/> and moves <see cref="LastSeenAt"/>; it is
/// open until <see cref="Acknowledgement"/> is set.
/// </summary>
[GenerateSerializer, Immutable, Alias("AscCollab.IntegrityIncident")]
public sealed record IntegrityIncident(
    string Id,
    string Kind,
    string? ProposalId,
    string Location,
    string Detail,
    string Reporter,
    bool Holds,
    DateTimeOffset DetectedAt,
    DateTimeOffset LastSeenAt,
    int Occurrences,
    IntegrityAcknowledgement? Acknowledgement)
{
    public bool Open => Acknowledgement is null;
}

/// <summary>What <c>/health</c> needs: how many incidents are open, and of which kinds.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.IntegrityStatus")]
public sealed record IntegrityStatus(int Open, IReadOnlyList<string> OpenKinds, IReadOnlyList<string> ProposalsOnHold);

/// <summary>An incident was reported or acknowledged (Chair and secretariat only).</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.IntegrityIncidentChanged")]
public sealed record IntegrityIncidentChanged(IntegrityIncident Incident, Audience Audience) : IAudienceEvent;

/// <summary>One failed check of a proposal's stored history. <see cref="Acknowledged"/>: sealed by the secretariat's acknowledgement.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.IntegrityProblem")]
public sealed record IntegrityProblem(string Check, string Kind, string Location, string Problem, bool Acknowledged);

/// <summary>Why a proposal is on an integrity hold: the incident and the first problem found.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.IntegrityHold")]
public sealed record IntegrityHold(string Incident, string Kind, string Location, string Problem, DateTimeOffset Since);
