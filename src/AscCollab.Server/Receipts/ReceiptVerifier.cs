using System.Text.Json.Serialization;
using AscCollab.Grains;
using Orleans;

namespace AscCollab.Server;

/// <summary>How a validly signed receipt compares with what storage holds now.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReceiptStorageVerdict>))]
internal enum ReceiptStorageVerdict
{
    /// <summary>Storage holds the receipt's audit entry with its hash, and its head is at least the receipt's.</summary>
    Holds,

    /// <summary>Storage is older than the receipt: it lost what was acknowledged.</summary>
    NewerThanStorage,

    /// <summary>Storage reached the receipt's audit sequence with another entry there: its history was changed.</summary>
    DiffersFromStorage,
}

/// <summary>What storage holds of the proposal: its head, and the hash of the entry at the receipt's sequence (null: none).</summary>
internal sealed record StoredView(long Revision, long AuditSequence, string AuditHead, string? EntryHash);

/// <summary>The answer of <c>POST /api/receipts/verify</c>: the signature held; the claims it covers; what storage says.</summary>
internal sealed record ReceiptVerification(
    bool Valid,
    string Kid,
    ReceiptClaims Claims,
    ReceiptStorageVerdict Storage,
    string Detail,
    StoredView? Stored);

/// <summary>
/// Checks a receipt: its signature under a published key, then the claims against storage itself
/// (<see cref="StoredProposals"/>, never an activation's memory). A receipt that storage does not
/// hold is evidence of a lost or rewritten history: logged Critical and reported as an integrity incident.
/// </summary>
internal sealed partial class ReceiptVerifier(ReceiptKeyRing keys, StoredProposals stored, IGrainFactory grains, ILogger<ReceiptVerifier> logger)
{
    public ReceiptKeyRing Keys => keys;

    public async Task<ReceiptVerification> CompareWithStorageAsync(ReceiptClaims claims, string kid, CancellationToken cancellationToken)
    {
        var id = claims.Proposal;
        var head = ProposalIds.IsValid(id) ? await stored.ReadHeadAsync(id, cancellationToken) : null;
        var entry = head is not null && head.AuditSequence >= claims.AuditHead.Sequence
            ? await stored.ReadAuditEntryAsync(id, claims.AuditHead.Sequence, cancellationToken)
            : null;
        var view = head is null ? null : new StoredView(head.Revision, head.AuditSequence, head.AuditHead, entry?.Hash);
        var (verdict, detail) = Compare(claims, head, entry);
        if (verdict != ReceiptStorageVerdict.Holds)
        {
            LogStorageDoesNotHold(logger, id, claims.Member, claims.Act, claims.Revision, claims.AuditHead.Sequence, verdict, detail);
            // The same receipt checked again counts as the same incident (kind, proposal, location).
            var kind = verdict == ReceiptStorageVerdict.NewerThanStorage ? IntegrityIncidentKinds.ReceiptAhead : IntegrityIncidentKinds.ReceiptDiffers;
            await grains.GetGrain<IIntegrityGrain>(IIntegrityGrain.Key).Report(new IntegrityReport(
                kind, id, $"audit {claims.AuditHead.Sequence}", $"{claims.Member} {claims.Act} on revision {claims.Revision} (receipt key {kid}): {detail}", "receipts"));
        }
        return new ReceiptVerification(verdict == ReceiptStorageVerdict.Holds, kid, claims, verdict, detail, view);
    }

    private static (ReceiptStorageVerdict, string) Compare(ReceiptClaims claims, StoredProposalHead? head, AuditEntry? entry)
    {
        var sequence = claims.AuditHead.Sequence;
        if (head is null)
        {
            return (ReceiptStorageVerdict.NewerThanStorage, $"Storage holds no proposal '{claims.Proposal}': it lost what this receipt acknowledges.");
        }
        if (head.AuditSequence < sequence || head.Revision < claims.Revision)
        {
            return (ReceiptStorageVerdict.NewerThanStorage,
                $"The receipt is newer than storage: it acknowledges revision {claims.Revision}, audit entry {sequence}; storage holds revision {head.Revision}, audit entry {head.AuditSequence}.");
        }
        if (entry is null)
        {
            return (ReceiptStorageVerdict.DiffersFromStorage, $"Storage is past audit entry {sequence} but does not hold it.");
        }
        if (!string.Equals(entry.Hash, claims.AuditHead.Hash, StringComparison.Ordinal))
        {
            return (ReceiptStorageVerdict.DiffersFromStorage,
                $"Storage holds another audit entry {sequence} than the one this receipt acknowledges (hash {entry.Hash[..12]}…, not {claims.AuditHead.Hash[..Math.Min(12, claims.AuditHead.Hash.Length)]}…).");
        }
        return (ReceiptStorageVerdict.Holds, $"Storage holds audit entry {sequence} with this hash, at revision {head.Revision} (audit entry {head.AuditSequence}) now.");
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Critical,
        Message = "Receipt not held by storage ({Verdict}): proposal {ProposalId}, {Member} {Act} on revision {Revision}, audit entry {AuditSequence}. {Detail}")]
    private static partial void LogStorageDoesNotHold(ILogger logger, string proposalId, string member, ReceiptAct act, long revision, long auditSequence,
        ReceiptStorageVerdict verdict, string detail);
}
