using System.Text.Json;
using AscCollab.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace AscCollab.Grains;

/// <summary>What storage itself holds of a proposal (not what an activation holds in memory): its head and one audit entry.</summary>
public sealed record StoredProposalHead(long Revision, long AuditSequence, string AuditHead);

/// <summary>
/// Reads a proposal's rows straight from the log storage, past any activation: the only way to
/// tell whether storage still holds what a receipt acknowledges while the grain, which may hold
/// more in memory, is alive. Read-only.
/// </summary>
public sealed class StoredProposals([FromKeyedServices(DomainRegistration.ProposalStorage)] ILogStorage storage)
{
    /// <summary>The stored head, or null when storage holds no such proposal.</summary>
    public async Task<StoredProposalHead?> ReadHeadAsync(string proposalId, CancellationToken cancellationToken)
    {
        var stored = await storage.ReadStateAsync(GrainIdOf(proposalId), StateName, cancellationToken);
        if (stored is null || JsonSerializer.Deserialize<ProposalState>(stored.Json, StateJson.Options) is not { Created: true } state)
        {
            return null;
        }
        return new StoredProposalHead(state.Revision, state.AuditSequence, state.AuditHead);
    }

    /// <summary>The stored audit entry <paramref name="sequence"/>, or null when storage holds none (or cannot read its row).</summary>
    public async Task<AuditEntry?> ReadAuditEntryAsync(string proposalId, long sequence, CancellationToken cancellationToken)
    {
        var rows = await storage.ReadLogAsync(GrainIdOf(proposalId), ProposalLog.AuditStream, ProposalLog.FirstRowKeyFor(sequence), sequence, cancellationToken);
        foreach (var row in rows)
        {
            if (ProposalLog.TryReadAudit(row, out var entries) && entries.FirstOrDefault(e => e.Sequence == sequence) is { } entry)
            {
                return entry;
            }
        }
        return null;
    }

    // As the grain's [LoggedState("state", "proposals")] and [GrainType("proposal")] name them.
    private const string StateName = "state";

    private static GrainId GrainIdOf(string proposalId) => GrainId.Create("proposal", proposalId);
}
