using System.Text.Json;
using AscCollab.Storage;

namespace AscCollab.Grains;

internal sealed partial class ProposalGrain
{
    /// <summary>The stream of receipt facts beside "op" and "audit"; a row's sequence is the audit head it names.</summary>
    private const string ReceiptStream = "receipt";

    /// <summary>At most this many receipts are listed (the newest); a member's latest is always among them.</summary>
    private const int MaxReceiptsListed = 500;

    public async Task<IReadOnlyList<ReceiptFacts>> GetReceipts(Caller caller)
    {
        var state = Readable(caller);
        var seesAll = caller.Role == CallerRole.Secretariat || chairmanship.HasChairRights(caller);
        var rows = await store.ReadLogAsync(ReceiptStream, 0, state.AuditSequence);
        var visible = rows
            .Select(r => JsonSerializer.Deserialize<ReceiptFacts>(r.Json, StateJson.Options)
                ?? throw new InvalidOperationException($"Receipt row {r.Sequence} of {GrainKey} is empty."))
            .Where(f => seesAll || f.Act == ReceiptAct.Adoption || string.Equals(f.Member, caller.Member, StringComparison.Ordinal))
            .ToList();
        return visible.Count <= MaxReceiptsListed ? visible : visible[^MaxReceiptsListed..];
    }

    /// <summary>
    /// A change that answers with a receipt: <see cref="Change"/> with the act's facts, taken from the
    /// head the change produces, written in the same commit and returned on the committed snapshot.
    /// </summary>
    private async Task<ProposalSnapshot> ChangeWithReceipt(ProposalState after, Caller caller, string action, string detail,
        ReceiptAct act, string member, Position? position, string? reason)
    {
        ReceiptFacts? facts = null;
        var snapshot = await Change(after, caller, action, detail, head =>
        {
            facts = new ReceiptFacts(GrainKey, act, member, position, string.IsNullOrEmpty(reason) ? null : AuditChain.Sha256Hex(reason),
                head.Revision, TextHashOf(head), head.AuditSequence, head.AuditHead, head.UpdatedAt);
            return new LogEntry(ReceiptStream, facts.AuditSequence, JsonSerializer.Serialize(facts, StateJson.Options));
        });
        return snapshot with { Receipt = facts };
    }

    private string TextHashOf(ProposalState state) =>
        _committedHashRevision == state.Revision && _committedHash is not null ? _committedHash : AuditChain.Sha256Hex(state.Text);
}
