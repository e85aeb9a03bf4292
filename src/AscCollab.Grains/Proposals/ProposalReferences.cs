namespace AscCollab.Grains;

/// <summary>Resolves what a new proposal refers to; an unknown reference is bad input, not a missing proposal.</summary>
internal static class ProposalReferences
{
    public static async Task<ActivityInfo> Activity(IGrainFactory factory, string? activity)
    {
        if (!Slugs.IsValid(activity))
        {
            throw DomainException.InvalidInput($"'{Echo.Of(activity)}' is not an activity id.");
        }
        try
        {
            return await factory.GetGrain<IActivityGrain>(activity!).Get();
        }
        catch (DomainException ex) when (ex.Code == DomainErrorCodes.NotFound)
        {
            throw DomainException.InvalidInput($"There is no activity '{Echo.Of(activity)}'.");
        }
    }

    public static async Task<GroupInfo> Group(IGrainFactory factory, string group, Caller caller)
    {
        if (!Slugs.IsValid(group))
        {
            throw DomainException.InvalidInput($"'{Echo.Of(group)}' is not a group id.");
        }
        GroupInfo info;
        try
        {
            info = await factory.GetGrain<IAdHocGroupGrain>(group).Get();
        }
        catch (DomainException ex) when (ex.Code == DomainErrorCodes.NotFound)
        {
            throw DomainException.InvalidInput($"There is no ad-hoc group '{Echo.Of(group)}'.");
        }
        if (!info.Participants.Contains(caller.Member, StringComparer.Ordinal))
        {
            throw DomainException.Forbidden($"{caller.Member} does not participate in the group '{Echo.Of(group)}'.");
        }
        return info;
    }
}
