namespace AscCollab.Grains;

/// <summary>
/// The consensus rules, pure. An objection blocks whether or not the text changed after it:
/// one objection blocks until that member withdraws or changes it (an edit never lifts it).
/// Concurrences and abstentions count only on the current text.
/// </summary>
public static class SignOffRules
{
    /// <summary>The status the rules give; drafting, adopted and withdrawn are set by people, not by positions.</summary>
    public static ProposalStatus Evaluate(ProposalState state)
    {
        if (state.Status is ProposalStatus.Drafting or ProposalStatus.Adopted or ProposalStatus.Withdrawn || state.Rule is null)
        {
            return state.Status;
        }
        if (Objectors(state).Count > 0)
        {
            return ProposalStatus.Blocked;
        }
        return HasConsensus(state) ? ProposalStatus.ConsensusReached : ProposalStatus.UnderConsideration;
    }

    public static bool HasConsensus(ProposalState state)
    {
        if (state.Rule is null || Objectors(state).Count > 0)
        {
            return false;
        }
        var current = state.SignOffs
            .Where(s => state.Participants.Contains(s.Member, StringComparer.Ordinal) && !state.IsStale(s))
            .ToDictionary(s => s.Member, s => s.Position, StringComparer.Ordinal);
        var concurrences = current.Values.Count(p => p == Position.Concur);
        return state.Rule.Kind switch
        {
            ConsensusRuleKind.Unanimity => concurrences > 0 && state.Participants.All(m =>
                current.TryGetValue(m, out var p) && p is Position.Concur or Position.Abstain),
            ConsensusRuleKind.NoObjection => concurrences >= (state.Rule.Quorum ?? state.Participants.Count),
            ConsensusRuleKind.SilenceProcedure => state.DeadlineElapsed && !state.SilenceBroken,
            _ => false,
        };
    }

    public static IReadOnlyList<string> Objectors(ProposalState state) =>
        [.. state.SignOffs.Where(s => s.Position == Position.Object && state.Participants.Contains(s.Member, StringComparer.Ordinal)).Select(s => s.Member)];

    /// <summary>What the proposal needs from <paramref name="member"/> now, or null.</summary>
    public static ToDoItem? ToDoFor(string proposalId, ProposalState state, string member)
    {
        if (state.Status is not (ProposalStatus.UnderConsideration or ProposalStatus.Blocked or ProposalStatus.ConsensusReached)
            || !state.Participants.Contains(member, StringComparer.Ordinal))
        {
            return null;
        }
        var signOff = state.SignOffs.FirstOrDefault(s => string.Equals(s.Member, member, StringComparison.Ordinal));
        if (signOff is null || signOff.Position == Position.Pending)
        {
            // Under silence, not objecting is a position; nothing is asked of the member.
            return state.Rule?.Kind == ConsensusRuleKind.SilenceProcedure || state.Status == ProposalStatus.ConsensusReached
                ? null
                : new ToDoItem(proposalId, state.Title, ToDoKind.SignOff, state.Level, state.Revision, state.Deadline, null);
        }
        return state.IsStale(signOff)
            ? new ToDoItem(proposalId, state.Title, ToDoKind.RenewSignOff, state.Level, state.Revision, state.Deadline, signOff.Position.ToString())
            : null;
    }

    public static SignOffView View(ProposalState state, SignOffRecord signOff) =>
        new(signOff.Member, signOff.Position, signOff.Reason, signOff.Revision, signOff.TextHash, signOff.At, state.IsStale(signOff));

    /// <summary>One view per participant, pending where no position was given.</summary>
    public static IReadOnlyList<SignOffView> Views(ProposalState state) =>
        [.. state.Participants.Select(m => state.SignOffs.FirstOrDefault(s => string.Equals(s.Member, m, StringComparison.Ordinal)) is { } s
            ? View(state, s)
            : new SignOffView(m, Position.Pending, null, state.Revision, null, null, false))];
}
