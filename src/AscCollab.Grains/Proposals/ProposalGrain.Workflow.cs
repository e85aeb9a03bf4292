using AscCollab.Text;

namespace AscCollab.Grains;

internal sealed partial class ProposalGrain
{
    private const string DeadlineReminder = "deadline";

    public async Task<ProposalSnapshot> Create(Caller caller, NewProposal proposal)
    {
        if (!ProposalIds.IsValid(GrainKey))
        {
            throw DomainException.InvalidInput($"'{GrainKey}' is not a proposal id (p- and 10 base32 characters).");
        }
        if (caller.Role is CallerRole.Secretariat or CallerRole.System || !roster.IsMember(caller.Member))
        {
            throw DomainException.Forbidden("Only member delegations propose measures.");
        }
        var title = RequireText(proposal.Title, "Title", Limits.MaxTitleLength);
        var text = proposal.Text ?? "";
        if (CodePoints.Length(text) > Limits.MaxTextCodePoints)
        {
            throw DomainException.TooLarge($"The text is longer than {Limits.MaxTextCodePoints} code points.");
        }
        RequireNew();
        var activity = await ProposalReferences.Activity(GrainFactory, proposal.Activity);
        var group = proposal.Group is null ? null : await ProposalReferences.Group(GrainFactory, proposal.Group, caller);
        RequireNew();

        var now = time.GetUtcNow();
        var members = roster.Members().Select(m => m.Code).ToList();
        var state = new ProposalState
        {
            Created = true,
            Title = title,
            Activity = activity.Id,
            Component = activity.Component,
            Group = group?.GroupId,
            Coordinator = group?.Coordinator,
            GroupParticipants = group?.Participants ?? [],
            Proposer = caller.Member,
            Text = text,
            TextLength = CodePoints.Length(text),
            Level = group is null ? ConsensusLevel.AllMembers : ConsensusLevel.Group,
            Status = ProposalStatus.Drafting,
            Participants = group?.Participants ?? members,
            CreatedAt = now,
        };
        state = WithVersion(state, VersionKind.Proposed, $"as proposed on {ShortDate(now)}", caller.Member);
        var detail = $"title \"{title}\", activity {activity.Id}, group {group?.GroupId ?? "none"}, text sha256 {AuditChain.Sha256Hex(text)}";
        // Op row 0 holds the initial text, so the text at any revision can be rebuilt (GetTextAt);
        // GetEditsSince starts at revision 1 and never returns it.
        var origin = ProposalLog.OpRow(new CommittedEdit(0, text.Length == 0 ? TextOperation.Empty : TextOperation.Insert(0, text), caller.Member, now));
        await Accept(state, [new(caller, "create", detail)], [origin], null, notify: true);
        return Snapshot(Committed);
    }

    public async Task<ProposalSnapshot> Circulate(Caller caller, Circulation circulation)
    {
        var state = RequireChair(caller, "circulate proposals");
        RequireStatus(state, "circulate", ProposalStatus.Drafting, ProposalStatus.UnderConsideration, ProposalStatus.Blocked);
        var participants = state.Level == ConsensusLevel.Group ? state.GroupParticipants : [.. roster.Members().Select(m => m.Code)];
        CirculationRules.ValidateCirculation(circulation, participants.Count, time.GetUtcNow());
        CheckBrackets(state, caller, circulation.OpenBracketsOverride);
        await ScheduleDeadline(circulation.Rule.Kind, circulation.Deadline);

        state = RequireChair(caller, "circulate proposals");
        RequireStatus(state, "circulate", ProposalStatus.Drafting, ProposalStatus.UnderConsideration, ProposalStatus.Blocked);
        var after = state with
        {
            Status = ProposalStatus.UnderConsideration,
            Rule = circulation.Rule,
            Deadline = circulation.Deadline,
            DeadlineElapsed = false,
            Participants = participants,
        };
        after = after with { SilenceBroken = circulation.Rule.Kind == ConsensusRuleKind.SilenceProcedure && SignOffRules.Objectors(after).Count > 0 };
        var overridden = CheckBrackets(state, caller, circulation.OpenBracketsOverride);
        after = WithVersion(after, VersionKind.Circulated, $"as circulated on {ShortDate(time.GetUtcNow())}", caller.Member);
        return await Change(after, caller, "circulate", $"{state.Level}: {CirculationRules.Describe(circulation)} to {string.Join(",", participants)}",
            more: overridden is { } line ? [line] : null);
    }

    public async Task<ProposalSnapshot> SetDeadline(Caller caller, DateTimeOffset deadline)
    {
        var state = RequireChair(caller, "set deadlines");
        RequireStatus(state, "set a deadline on", ProposalStatus.UnderConsideration, ProposalStatus.Blocked);
        CirculationRules.ValidateDeadline(deadline, time.GetUtcNow());
        if (state.DeadlineElapsed)
        {
            throw DomainException.InvalidTransition("The silence deadline has already passed; circulate the proposal again.");
        }
        await ScheduleDeadline(state.Rule!.Kind, deadline);

        state = RequireChair(caller, "set deadlines");
        RequireStatus(state, "set a deadline on", ProposalStatus.UnderConsideration, ProposalStatus.Blocked);
        return await Change(state with { Deadline = deadline }, caller, "deadline", deadline.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    public Task<ProposalSnapshot> SignOff(Caller caller, SignOffRequest request)
    {
        var state = Writable(caller);
        var refusal = ProposalAccess.WhyCannotSign(state, caller, request.Member);
        if (refusal is not null)
        {
            throw DomainException.Forbidden(refusal);
        }
        RequireStatus(state, "sign off on", ProposalStatus.UnderConsideration, ProposalStatus.Blocked, ProposalStatus.ConsensusReached);
        if (request.Revision > state.Revision)
        {
            throw RevisionLost(caller, request.Revision, Committed.Revision, "sign-off");
        }
        if (request.Revision != state.Revision)
        {
            throw DomainException.StaleRevision($"The sign-off names revision {request.Revision}; the text is at revision {state.Revision}.");
        }
        if (request.Position is not (Position.Concur or Position.Abstain or Position.Object))
        {
            throw DomainException.InvalidInput("The position must be concur, abstain or object (withdraw a position to make it pending).");
        }
        var reason = RequireText(request.Reason, "The reason", Limits.MaxReasonLength, required: request.Position == Position.Object);
        var hash = _committedHashRevision == state.Revision && _committedHash is not null ? _committedHash : AuditChain.Sha256Hex(state.Text);
        var record = new SignOffRecord(request.Member, request.Position, reason.Length == 0 ? null : reason, state.Revision, hash, time.GetUtcNow());
        var after = state with
        {
            SignOffs = [.. state.SignOffs.Where(s => s.Member != request.Member), record],
            SilenceBroken = state.SilenceBroken || (request.Position == Position.Object && state.Rule?.Kind == ConsensusRuleKind.SilenceProcedure),
        };
        var detail = $"{request.Member}: {request.Position} on revision {state.Revision}, text sha256 {hash}" + (reason.Length > 0 ? $", reason: {reason}" : "");
        return ChangeWithReceipt(after, caller, "sign-off", detail, ReceiptAct.SignOff, request.Member, request.Position, reason);
    }

    public Task<ProposalSnapshot> WithdrawSignOff(Caller caller, string member)
    {
        var state = Writable(caller);
        var refusal = ProposalAccess.WhyCannotSign(state, caller, member);
        if (refusal is not null)
        {
            throw DomainException.Forbidden(refusal);
        }
        RequireStatus(state, "withdraw a position on", ProposalStatus.UnderConsideration, ProposalStatus.Blocked, ProposalStatus.ConsensusReached);
        var existing = state.SignOffs.FirstOrDefault(s => s.Member == member)
            ?? throw DomainException.InvalidTransition($"{member} has no position on this proposal to withdraw.");
        var after = state with { SignOffs = [.. state.SignOffs.Where(s => s.Member != member)] };
        return ChangeWithReceipt(after, caller, "withdraw-sign-off", $"{member}: {existing.Position} given on revision {existing.Revision} withdrawn",
            ReceiptAct.WithdrawSignOff, member, Position.Pending, null);
    }
}
