namespace AscCollab.Grains;

/// <summary>Who may see, edit and sign a proposal. Pure; the grain passes in whether the caller holds the Chair now.</summary>
public static class ProposalAccess
{
    /// <summary>Who may see the proposal: the group's participants while it is a confidential draft, else every member.</summary>
    public static Audience Audience(ProposalState state) =>
        state.Confidential ? Grains.Audience.Of(state.GroupParticipants) : Grains.Audience.All;

    public static bool CanSee(ProposalState state, Caller caller, bool chairRights, IRoster roster) =>
        caller.Role == CallerRole.Secretariat || chairRights || IsReader(state, caller.Member, roster);

    /// <summary>Delegations who may see it edit it; the secretariat never does; a Chair outside a group only reads its draft.</summary>
    public static bool CanEdit(ProposalState state, Caller caller, IRoster roster) =>
        caller.Role is CallerRole.Delegate or CallerRole.Chair && IsReader(state, caller.Member, roster);

    private static bool IsReader(ProposalState state, string member, IRoster roster) =>
        state.Confidential ? state.GroupParticipants.Contains(member, StringComparer.Ordinal) : roster.IsMember(member);

    /// <summary>Null when allowed, else why not (forbidden).</summary>
    public static string? WhyCannotSign(ProposalState state, Caller caller, string member)
    {
        if (caller.Role == CallerRole.Secretariat)
        {
            return "The secretariat never signs off.";
        }
        if (caller.Role is not (CallerRole.Delegate or CallerRole.Chair))
        {
            return "Only member delegations sign off.";
        }
        if (!string.Equals(caller.Member, member, StringComparison.Ordinal))
        {
            return $"A delegation of {caller.Member} cannot sign off for {member}.";
        }
        if (!state.Participants.Contains(member, StringComparer.Ordinal))
        {
            return state.Level == ConsensusLevel.Group
                ? $"{member} does not participate in the group '{state.Group}'."
                : $"{member} is not among the members this proposal was circulated to.";
        }
        return null;
    }
}
