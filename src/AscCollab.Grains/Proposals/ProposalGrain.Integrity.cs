using System.Text.Json;
using Microsoft.Extensions.Logging;

using AscCollab.Storage;

namespace AscCollab.Grains;

/// <summary>
/// Integrity of the stored history (docs/storage.md, "Integrity"): the full check (<see cref="VerifyAudit"/>,
/// <see cref="CheckIntegrity"/> from the background sweep), the tail check on activation, the integrity
/// hold (readable, not writable) and the secretariat's acknowledgement that lifts it.
/// </summary>
internal sealed partial class ProposalGrain
{
    private bool _integrityWrite;

    private AuditKeyRing Keys => auditKeys.Ring;

    public async Task<AuditVerification> VerifyAudit(Caller caller)
    {
        Readable(caller);
        return await CheckAndHold("verify");
    }

    public async Task<AuditVerification> CheckIntegrity()
    {
        if (!Committed.Created)
        {
            return new AuditVerification(true, 0, null, null, AuditChain.Genesis);
        }
        return await CheckAndHold("background-check");
    }

    public async Task<ProposalSnapshot> AcknowledgeIntegrity(Caller caller, string reason)
    {
        Readable(caller);
        if (caller.Role != CallerRole.Secretariat)
        {
            throw DomainException.Forbidden("Only the secretariat acknowledges an integrity hold.");
        }
        var why = IntegrityGrain.RequireReason(reason);
        if (_head.Hold is not { } hold)
        {
            throw DomainException.InvalidTransition($"Proposal '{GrainKey}' is not on an integrity hold.");
        }
        var state = Committed;
        var (entries, ops, unreadable) = await ReadHistory(state);
        var found = IntegrityVerifier.Verify(entries, ops, unreadable, await ReadCheckpoint(entries), state, Keys);
        if (!ReferenceEquals(state, _head) || _head.Hold is null)
        {
            throw DomainException.Conflict("The proposal changed while its history was read; acknowledge again.");
        }
        var members = found.Problems.Where(p => p.Check == IntegrityVerifier.SignOff && !p.Acknowledged)
            .Select(p => p.Location.Split(' ')[^1]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var seal = new IntegritySeal(state.AuditSequence + 1, state.AuditSequence, IntegrityVerifier.AuditDigest(entries),
            state.Revision, IntegrityVerifier.OpsDigest(ops.Where(o => o.Revision <= state.Revision)), AuditChain.Sha256Hex(state.Text), members);
        var checkpoint = new LogEntry(IntegritySeal.CheckpointStream, seal.Sequence, JsonSerializer.Serialize(new Checkpoint(state.Revision, state.Text), StateJson.Options));
        await AcceptIntegrity(state with { Hold = null }, new AuditLine(caller, IntegritySeal.Action, seal.Detail(hold.Incident, why)), [checkpoint]);
        LogHoldLifted(logger, GrainKey, hold.Incident, caller.Member, why);
        try
        {
            await GrainFactory.GetGrain<IIntegrityGrain>(IIntegrityGrain.Key)
                .AcknowledgeProposal(GrainKey, new IntegrityAcknowledgement(caller.Member, caller.Role, why, time.GetUtcNow()));
        }
        catch (Exception ex) when (ex is not DomainException)
        {
            LogRegistryFailed(logger, GrainKey, ex);
        }
        return Snapshot(Committed);
    }

    /// <summary>Refuses every change while on hold (called by <see cref="Writable"/> and <see cref="Accept"/>).</summary>
    private void RequireNotHeld(ProposalState state)
    {
        if (state.Hold is { } hold && !_integrityWrite)
        {
            throw DomainException.IntegrityHold(
                $"Proposal '{GrainKey}' is on an integrity hold since {hold.Since:O} (incident {hold.Incident}, {hold.Kind} at {hold.Location}): readable, not writable, until the secretariat acknowledges it.");
        }
    }

    /// <summary>The op log is suspect while on hold: edits are not served from it.</summary>
    private void RequireHistoryServable()
    {
        if (Committed.Hold is { } hold)
        {
            throw DomainException.IntegrityHold(
                $"Proposal '{GrainKey}' is on an integrity hold (incident {hold.Incident}, {hold.Kind} at {hold.Location}); its edit history is not served until the secretariat acknowledges it.");
        }
    }

    /// <summary>On activation: the last audit entries and the ops they name; a problem puts the proposal on hold.</summary>
    private async Task CheckTailOnActivation()
    {
        var state = Committed;
        if (!state.Created || state.Hold is not null)
        {
            return;
        }
        var window = options.CurrentValue.Integrity.TailEntries;
        var from = Math.Max(1, state.AuditSequence - window + 1);
        var rows = await store.ReadLogAsync(ProposalLog.AuditStream, ProposalLog.FirstRowKeyFor(from), state.AuditSequence);
        var tail = new List<AuditEntry>();
        foreach (var row in rows)
        {
            if (!ProposalLog.TryReadAudit(row, out var read))
            {
                await Hold(new IntegrityProblem(IntegrityVerifier.Audit, IntegrityIncidentKinds.ChainBroken, $"audit row {row.Sequence}", "the row cannot be read", false), "activation");
                return;
            }
            tail.AddRange(read.Where(e => e.Sequence >= from && e.Sequence <= state.AuditSequence));
        }
        var revisions = tail.Select(e => e.Revision).Where(r => r >= 1 && r <= state.Revision).ToList();
        var ops = revisions.Count == 0 ? [] : await ReadOpRecords(revisions.Min(), revisions.Max(), []);
        if (IntegrityVerifier.VerifyTail(tail, ops, state, Keys) is { } problem)
        {
            await Hold(problem, "activation");
        }
    }

    private async Task<AuditVerification> CheckAndHold(string reporter)
    {
        var state = Committed;
        var (entries, ops, unreadable) = await ReadHistory(state);
        var result = IntegrityVerifier.Verify(entries, ops, unreadable, await ReadCheckpoint(entries), state, Keys);
        if (!result.Intact && result.Problems.FirstOrDefault(p => !p.Acknowledged) is { } problem && ReferenceEquals(state, Committed))
        {
            await Hold(problem, reporter);
            result = result with { Hold = _head.Hold };
        }
        return result;
    }

    /// <summary>Reports the problem (an incident that holds the proposal) and, unless already held, commits the hold with its audit entry.</summary>
    private async Task Hold(IntegrityProblem problem, string reporter)
    {
        var incident = "unreported";
        try
        {
            var reported = await GrainFactory.GetGrain<IIntegrityGrain>(IIntegrityGrain.Key)
                .Report(new IntegrityReport(problem.Kind, GrainKey, problem.Location, problem.Problem, reporter, Holds: true));
            incident = reported.Id;
        }
        catch (Exception ex) when (ex is not DomainException)
        {
            LogRegistryFailed(logger, GrainKey, ex);
        }
        if (_head.Hold is not null)
        {
            return;
        }
        LogHeld(logger, GrainKey, problem.Kind, problem.Location, problem.Problem, incident);
        var hold = new IntegrityHold(incident, problem.Kind, problem.Location, problem.Problem, time.GetUtcNow());
        await AcceptIntegrity(_head with { Hold = hold }, new AuditLine(Clock, IntegritySeal.HoldAction, $"incident {incident}: {problem.Kind} at {problem.Location}: {problem.Problem}"), []);
    }

    private Task AcceptIntegrity(ProposalState after, AuditLine line, IReadOnlyList<LogEntry> rows)
    {
        _integrityWrite = true;
        try
        {
            return Accept(after, [line], rows, null, notify: true);
        }
        finally
        {
            _integrityWrite = false;
        }
    }

    /// <summary>The audit entries and op records up to <paramref name="state"/> (rows of commits in flight beyond it are left out).</summary>
    private async Task<(List<AuditEntry> Entries, List<OpRecord> Ops, List<string> Unreadable)> ReadHistory(ProposalState state)
    {
        var unreadable = new List<string>();
        var entries = new List<AuditEntry>();
        foreach (var row in await store.ReadLogAsync(ProposalLog.AuditStream, 1, state.AuditSequence))
        {
            if (ProposalLog.TryReadAudit(row, out var read))
            {
                entries.AddRange(read.Where(e => e.Sequence <= state.AuditSequence));
            }
            else
            {
                unreadable.Add($"audit row {row.Sequence}");
            }
        }
        var ops = await ReadOpRecords(0, state.Revision, unreadable);
        return (entries, ops, unreadable);
    }

    private async Task<List<OpRecord>> ReadOpRecords(long from, long to, List<string> unreadable)
    {
        var records = new List<OpRecord>();
        foreach (var row in await store.ReadLogAsync(ProposalLog.OpStream, ProposalLog.FirstRowKeyFor(from), to))
        {
            try
            {
                var edits = ProposalLog.ReadOps(row);
                IReadOnlyList<string> raw = row.Json.AsSpan().TrimStart().StartsWith("{")
                    ? [row.Json]
                    : [.. JsonDocument.Parse(row.Json).RootElement.EnumerateArray().Select(e => e.GetRawText())];
                for (var i = 0; i < edits.Count && i < raw.Count; i++)
                {
                    if (edits[i].Revision >= from && edits[i].Revision <= to)
                    {
                        records.Add(new OpRecord(edits[i].Revision, raw[i], edits[i].Op));
                    }
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or AscCollab.Text.InvalidTextOperationException or NotSupportedException)
            {
                unreadable.Add($"op row {row.Sequence}");
            }
        }
        return records;
    }

    private async Task<string?> ReadCheckpoint(IReadOnlyList<AuditEntry> entries)
    {
        if (IntegrityVerifier.FindSeal(entries, Keys) is not { } seal)
        {
            return null;
        }
        var rows = await store.ReadLogAsync(IntegritySeal.CheckpointStream, seal.Sequence, seal.Sequence);
        try
        {
            return rows.Count == 1 ? JsonSerializer.Deserialize<Checkpoint>(rows[0].Json, StateJson.Options)?.Text : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The text an acknowledgement keeps, so the op log replays from there (the ops before it are sealed as found).</summary>
    private sealed record Checkpoint(long Revision, string Text);

    [LoggerMessage(EventId = 3120, Level = LogLevel.Critical,
        Message = "Proposal {Proposal} is on an integrity hold: {Kind} at {Location}: {Problem} (incident {Incident}).")]
    private static partial void LogHeld(ILogger logger, string proposal, string kind, string location, string problem, string incident);

    [LoggerMessage(EventId = 3121, Level = LogLevel.Warning,
        Message = "Proposal {Proposal}: integrity hold ({Incident}) lifted by {Member}: {Reason}.")]
    private static partial void LogHoldLifted(ILogger logger, string proposal, string incident, string member, string reason);

    [LoggerMessage(EventId = 3122, Level = LogLevel.Error,
        Message = "Proposal {Proposal}: the integrity registry could not be told.")]
    private static partial void LogRegistryFailed(ILogger logger, string proposal, Exception exception);
}
