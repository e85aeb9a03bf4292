using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace AscCollab.Grains;

internal sealed partial class ProposalGrain
{
    private static readonly Caller Clock = new("system", CallerRole.System);

    public Task<ProposalSnapshot> Recommend(Caller caller)
    {
        var state = Writable(caller);
        var coordinator = caller.Role is CallerRole.Delegate or CallerRole.Chair && caller.Member == state.Coordinator;
        if (!coordinator && !chairmanship.HasChairRights(caller))
        {
            throw DomainException.Forbidden("Only the group's coordinator or the Chair recommends a group's draft.");
        }
        if (state.Level != ConsensusLevel.Group)
        {
            throw DomainException.InvalidTransition("The proposal is already before all members.");
        }
        RequireStatus(state, "recommend", ProposalStatus.ConsensusReached);
        var members = roster.Members().Select(m => m.Code).ToList();
        var after = state with
        {
            Level = ConsensusLevel.AllMembers,
            Status = ProposalStatus.Drafting,
            Recommended = true,
            GroupSignOffs = state.SignOffs,
            SignOffs = [],
            Participants = members,
            Rule = null,
            Deadline = null,
            DeadlineElapsed = false,
            SilenceBroken = false,
        };
        return Change(after, caller, "recommend", $"group {state.Group} recommends revision {state.Revision} to all members");
    }

    public Task<ProposalSnapshot> Reopen(Caller caller, string reason)
    {
        var state = RequireChair(caller, "reopen proposals");
        RequireStatus(state, "reopen", ProposalStatus.ConsensusReached, ProposalStatus.UnderConsideration, ProposalStatus.Blocked);
        var why = RequireText(reason, "The reason", Limits.MaxReasonLength);
        var after = state with { Status = ProposalStatus.Drafting, Rule = null, Deadline = null, DeadlineElapsed = false, SilenceBroken = false };
        return Change(after, caller, "reopen", why);
    }

    public Task<ProposalSnapshot> RecordAdoption(Caller caller, string occasion)
    {
        var state = RequireChair(caller, "record adoption");
        if (state.Level != ConsensusLevel.AllMembers)
        {
            throw DomainException.InvalidTransition("A group's draft is adopted only after its recommendation reaches consensus of all members.");
        }
        RequireStatus(state, "adopt", ProposalStatus.ConsensusReached);
        var at = RequireText(occasion, "The occasion", Limits.MaxReasonLength);
        var after = WithVersion(state with { Status = ProposalStatus.Adopted, AdoptedAt = time.GetUtcNow() }, VersionKind.Adopted, $"as adopted at {at} on {ShortDate(time.GetUtcNow())}", caller.Member);
        return ChangeWithReceipt(after, caller, "adopt", $"adopted at {at}, revision {state.Revision}", ReceiptAct.Adoption, caller.Member, null, at);
    }

    public Task<ProposalSnapshot> Withdraw(Caller caller, string reason)
    {
        var state = Writable(caller);
        var proposer = caller.Role is CallerRole.Delegate or CallerRole.Chair && caller.Member == state.Proposer;
        if (!proposer && !chairmanship.HasChairRights(caller))
        {
            throw DomainException.Forbidden("Only the proposing delegation or the Chair withdraws a proposal.");
        }
        RequireStatus(state, "withdraw", ProposalStatus.Drafting, ProposalStatus.UnderConsideration, ProposalStatus.Blocked, ProposalStatus.ConsensusReached);
        var why = RequireText(reason, "The reason", Limits.MaxReasonLength);
        return Change(state with { Status = ProposalStatus.Withdrawn }, caller, "withdraw", why);
    }

    /// <summary>
    /// The silence deadline. Idempotent by state: the effect is accepted once (DeadlineElapsed
    /// flips synchronously), so a second or late delivery, before or after a restart, finds nothing to do.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DeadlineReminder)
        {
            return;
        }
        var state = _head;
        if (!state.Created || state.Rule?.Kind != ConsensusRuleKind.SilenceProcedure || state.DeadlineElapsed
            || state.Deadline is not { } deadline || state.Status is not (ProposalStatus.UnderConsideration or ProposalStatus.Blocked))
        {
            await UnregisterReminderAsync(DeadlineReminder);
            return;
        }
        var now = time.GetUtcNow();
        if (now < deadline)
        {
            await RegisterOrUpdateReminderAsync(DeadlineReminder, deadline - now);
            return;
        }
        var detail = state.SilenceBroken ? "deadline passed; silence was broken by an objection" : "deadline passed without objection";
        await Change(state with { DeadlineElapsed = true }, Clock, "silence-deadline", detail);
        await UnregisterReminderAsync(DeadlineReminder);
    }

    private async Task ScheduleDeadline(ConsensusRuleKind rule, DateTimeOffset? deadline)
    {
        // Registered before the state commits: if the commit fails the reminder finds nothing to do,
        // whereas registering after could lose the deadline to a crash in between.
        if (rule == ConsensusRuleKind.SilenceProcedure && deadline is { } due)
        {
            var dueIn = due - time.GetUtcNow();
            await RegisterOrUpdateReminderAsync(DeadlineReminder, dueIn > TimeSpan.Zero ? dueIn : TimeSpan.Zero);
        }
    }

    private void RequireNew()
    {
        if (_head.Created)
        {
            throw DomainException.Conflict($"Proposal '{GrainKey}' already exists.");
        }
    }
}
