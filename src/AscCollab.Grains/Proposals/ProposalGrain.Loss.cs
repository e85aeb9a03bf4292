using Microsoft.Extensions.Logging;

using AscCollab.Text;

namespace AscCollab.Grains;

/// <summary>
/// Storage that lost acknowledged changes while the node that committed them is gone too (Azurite and
/// the node dying within the same few seconds, docs/storage.md): this activation only has storage, so the
/// loss shows where a client holds more than storage does — a revision ahead of the committed one, or,
/// once the numbers were given again, an edit at its revision that storage does not have. Such a client
/// is refused with <c>revision_lost</c> (never merged onto other content), the loss is logged Critical and
/// reported to the integrity incidents registry (kind <c>storage_lost</c>: /health degraded, shown to the
/// Chair and the Secretariat until acknowledged).
/// </summary>
internal sealed partial class ProposalGrain
{
    // Claimed revisions already reported (one Critical report each per activation, so one client's
    // retries or many clients of the same loss do not flood the log); bounded.
    private readonly HashSet<long> _lossReported = [];
    private readonly HashSet<long> _unrepairableReported = [];
    private const int MaxLossReports = 256;

    public async Task<IReadOnlyList<CommittedEdit>> Resync(Caller caller, long revision, TextOperation? op, string? textHash)
    {
        var state = Readable(caller);
        if (revision > state.Revision)
        {
            throw RevisionLost(caller, revision, state.Revision, "resync");
        }
        if (op is not null && revision >= 1)
        {
            var stored = await EditAt(revision);
            if (stored is not null && !stored.Op.Equals(op))
            {
                throw RevisionLost(caller, revision, state.Revision, "resync-op-differs");
            }
        }
        else if (textHash is not null && revision == state.Revision && !string.Equals(Snapshot(state).TextHash, textHash, StringComparison.OrdinalIgnoreCase))
        {
            throw RevisionLost(caller, revision, state.Revision, "resync-text-differs");
        }
        return await GetEditsSince(caller, revision);
    }

    /// <summary>The committed edit that made <paramref name="revision"/>, from memory or the op log; null when not stored.</summary>
    private async Task<CommittedEdit?> EditAt(long revision)
    {
        if (revision > _recent.Start && revision <= _recent.End)
        {
            return _recent.After(revision - 1).First();
        }
        var logged = await ReadLoggedEdits(revision, revision);
        return logged.Count == 1 ? logged[0] : null;
    }

    /// <summary>
    /// A revision above the committed one can only come from an acknowledgement or a pushed edit, both sent
    /// after commit: storage lost it. Reported (Critical, once per claimed revision) and refused.
    /// </summary>
    private DomainException RevisionLost(Caller caller, long claimed, long stored, string how)
    {
        var detail = claimed > stored
            ? $"Revision {claimed} was acknowledged, but storage holds proposal '{GrainKey}' only up to revision {stored}: acknowledged changes were lost."
            : $"The edit this client holds as revision {claimed} is not the one storage holds: acknowledged changes were lost and the revision was given again.";
        if (_lossReported.Count < MaxLossReports && _lossReported.Add(claimed))
        {
            LogRevisionLost(logger, GrainKey, caller.Member, claimed, stored, how);
            // One incident per loss: the registry counts further claims beyond the same stored revision.
            var location = claimed > stored ? $"revisions after {stored}" : $"revision {claimed}";
            _ = ReportLoss(new IntegrityReport(IntegrityIncidentKinds.StorageLost, GrainKey, location,
                $"{caller.Member} came back holding revision {claimed} ({how}); storage holds revision {stored}. {detail}", Reporter: "reconnect"));
        }
        return DomainException.RevisionLost(detail + " Reload the proposal; your own copy of the text still has them.");
    }

    /// <summary>
    /// Storage went back further than the commits this activation still holds (beyond the repair window):
    /// the proposal writes nothing (Critical 3106) and the loss goes to the registry, once per stored version.
    /// </summary>
    private void OnUnrepairable(long storedAuditSequence, long committedAuditSequence)
    {
        if (_unrepairableReported.Add(storedAuditSequence))
        {
            _ = ReportLoss(new IntegrityReport(IntegrityIncidentKinds.StorageLost, GrainKey, $"audit entries after {storedAuditSequence}",
                $"Storage holds proposal '{GrainKey}' only up to audit entry {storedAuditSequence}, but {committedAuditSequence} were committed and acknowledged, "
                + "and the commits since are no longer all held in memory to be written again. Nothing is written to this proposal until it is resolved.",
                Reporter: "repair"));
        }
    }

    private async Task ReportLoss(IntegrityReport report)
    {
        try
        {
            await GrainFactory.GetGrain<IIntegrityGrain>(IIntegrityGrain.Key).Report(report);
        }
        catch (Exception ex)
        {
            // The Critical 3108 above stands; the registry did not get it.
            LogLossNotReported(logger, ex, GrainKey);
        }
    }

    [LoggerMessage(EventId = 3109, Level = LogLevel.Error, Message = "The loss of acknowledged changes of proposal {Proposal} could not be reported to the integrity registry")]
    private static partial void LogLossNotReported(ILogger logger, Exception exception, string proposal);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Critical, Message = "Storage lost acknowledged changes of proposal {Proposal}: {Member} holds revision {Claimed} ({How}) but storage is at revision {Stored}; the client is refused with revision_lost")]
    private static partial void LogRevisionLost(ILogger logger, string proposal, string member, long claimed, long stored, string how);
}
