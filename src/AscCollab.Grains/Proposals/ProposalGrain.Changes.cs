using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

using AscCollab.Storage;

namespace AscCollab.Grains;

internal sealed partial class ProposalGrain
{
    /// <summary>One audit line of a change: who did what.</summary>
    private readonly record struct AuditLine(Caller Caller, string Action, string Detail);

    /// <summary>
    /// Accepts a change: chains its audit entries, makes it the head and queues it for the
    /// next group commit. Synchronous up to the returned task, so changes are ordered as accepted.
    /// <paramref name="witness"/>, if any, adds one row made from the new head (a receipt's facts).
    /// </summary>
    private Task Accept(ProposalState after, IReadOnlyList<AuditLine> audit, IReadOnlyList<LogEntry> rows, Action? afterCommit, bool notify,
        Func<ProposalState, LogEntry>? witness = null)
    {
        RequireNotHeld(_head);
        var now = time.GetUtcNow();
        var all = new List<LogEntry>(rows.Count + audit.Count);
        all.AddRange(rows);
        long sequence = _head.AuditSequence;
        var hash = _head.AuditHead;
        foreach (var line in audit)
        {
            var entry = AuditChain.Next(Keys.Current, sequence, hash, now, line.Caller, line.Action, line.Detail, after.Revision);
            all.Add(ProposalLog.AuditRow(entry));
            sequence = entry.Sequence;
            hash = entry.Hash;
        }
        _head = after with { AuditSequence = sequence, AuditHead = hash, UpdatedAt = now };
        if (ProposalLog.TextRowDue(_head))
        {
            // The state row keeps no text: the text is rebuilt from this row and the op log after it.
            _head = _head with { TextAt = _head.Revision };
            all.Add(ProposalLog.TextRow(_head.Revision, _head.Text));
        }
        if (witness is not null)
        {
            all.Add(witness(_head));
        }
        return _commit.Enqueue(_head, all, afterCommit, notify);
    }

    /// <summary>A workflow change: re-evaluates the status, commits, returns the committed snapshot.</summary>
    private async Task<ProposalSnapshot> Change(ProposalState after, Caller caller, string action, string detail, Func<ProposalState, LogEntry>? witness = null,
        IReadOnlyList<AuditLine>? more = null)
    {
        after = after with { Status = SignOffRules.Evaluate(after) };
        after = WithAutomaticVersions(_head, after, caller);
        var audit = new List<AuditLine> { new(caller, action, detail) };
        audit.AddRange(more ?? []);
        if (after.Status != _head.Status)
        {
            audit.Add(new(caller, "status", $"{_head.Status} -> {after.Status}"));
        }
        AppendVersions(audit, after.Versions.Skip(_head.Versions.Count));
        await Accept(after, audit, [], null, notify: true, witness);
        return Snapshot(Committed);
    }

    /// <summary>The accepted state for a change by <paramref name="caller"/>; not_found / forbidden as for reads.</summary>
    private ProposalState Writable(Caller caller)
    {
        var state = _head;
        if (!state.Created)
        {
            throw DomainException.NotFound($"Proposal '{GrainKey}' does not exist.");
        }
        if (!ProposalAccess.CanSee(state, caller, chairmanship.HasChairRights(caller), roster))
        {
            throw DomainException.Forbidden($"{caller.Member} may not see proposal '{GrainKey}'.");
        }
        RequireNotHeld(state);
        return state;
    }

    private ProposalState RequireChair(Caller caller, string what)
    {
        var state = Writable(caller);
        if (!chairmanship.HasChairRights(caller))
        {
            throw DomainException.Forbidden($"Only the member holding the ASEAN chairmanship may {what}.");
        }
        return state;
    }

    private static void RequireStatus(ProposalState state, string what, params ProposalStatus[] allowed)
    {
        if (!allowed.Contains(state.Status))
        {
            throw DomainException.InvalidTransition($"Cannot {what} a proposal that is {state.Status}.");
        }
    }

    private static string RequireText(string? value, string name, int maxLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? throw DomainException.InvalidInput($"{name} is required.") : "";
        }
        if (value.Length > maxLength)
        {
            throw DomainException.TooLarge($"{name} is longer than {maxLength} characters.");
        }
        if (value.Any(c => char.IsControl(c) && c is not '\n' and not '\t' and not '\r'))
        {
            throw DomainException.InvalidInput($"{name} contains control characters.");
        }
        if (!VisibleText.HasVisible(value))
        {
            throw DomainException.InvalidInput(VisibleText.Refusal(name));
        }
        return value.Trim();
    }
}
