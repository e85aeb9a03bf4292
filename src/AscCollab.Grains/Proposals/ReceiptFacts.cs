using System.Text.Json.Serialization;
using Orleans;

namespace AscCollab.Grains;

/// <summary>What a receipt acknowledges: a member's position, its withdrawal, or the Chair's record of adoption.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReceiptAct>))]
[GenerateSerializer, Alias("AscCollab.ReceiptAct")]
public enum ReceiptAct
{
    SignOff,
    WithdrawSignOff,
    Adoption,
}

/// <summary>
/// The committed facts of one act that answers with a receipt; the host signs them (a JWS) and
/// never anything the grain has not committed. Stored with the act, in the same atomic write, as a
/// row of the proposal's "receipt" stream (sequence = <see cref="AuditSequence"/>), so a delegation
/// can download its receipt again. <see cref="AuditSequence"/> and <see cref="AuditHash"/> are the
/// proposal's audit head once the act is committed (its own entry, or the status change it caused);
/// hashes are SHA-256, lower-case hex (<see cref="ReasonSha256"/> of the trimmed reason or occasion, null when none).
/// </summary>
[GenerateSerializer, Immutable, Alias("AscCollab.ReceiptFacts")]
public sealed record ReceiptFacts(
    string ProposalId,
    ReceiptAct Act,
    string Member,
    Position? Position,
    string? ReasonSha256,
    long Revision,
    string TextSha256,
    long AuditSequence,
    string AuditHash,
    DateTimeOffset At);
