using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace AscCollab.Grains;

/// <summary>Checks a charter: known members, a coordinator among the participants, known activities.</summary>
internal static class GroupCharters
{
    public static async Task<GroupInfo> Validate(string groupId, GroupCharter charter, Caller caller, IRoster roster, LimitsOptions limits, IGrainFactory factory, DateTimeOffset now)
    {
        if (charter is null || string.IsNullOrWhiteSpace(charter.Name) || charter.Name.Length > limits.MaxTitleLength)
        {
            throw DomainException.InvalidInput($"A group needs a name of at most {limits.MaxTitleLength} characters.");
        }
        if (!VisibleText.HasVisible(charter.Name))
        {
            throw DomainException.InvalidInput(VisibleText.Refusal("name"));
        }
        if (string.IsNullOrWhiteSpace(charter.Mandate))
        {
            throw DomainException.InvalidInput("A group needs a mandate.");
        }
        if (charter.Mandate.Length > limits.MaxMandateLength)
        {
            throw DomainException.TooLarge($"The mandate is longer than {limits.MaxMandateLength} characters.");
        }
        var requested = charter.Participants ?? [];
        var unknown = requested.Where(m => !roster.IsMember(m)).ToList();
        if (unknown.Count > 0)
        {
            throw DomainException.InvalidInput($"Not members: {string.Join(", ", unknown)}.");
        }
        var allMembers = requested.Count == 0;
        IReadOnlyList<string> participants = allMembers
            ? [.. roster.Members().Select(m => m.Code)]
            : [.. requested.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        if (!participants.Contains(charter.Coordinator, StringComparer.Ordinal))
        {
            throw DomainException.InvalidInput($"The coordinator '{Echo.Of(charter.Coordinator)}' must be a participant.");
        }
        var activities = (charter.Activities ?? []).Distinct(StringComparer.Ordinal).ToList();
        foreach (var activity in activities)
        {
            await ProposalReferences.Activity(factory, activity);
        }
        return new GroupInfo(groupId, charter.Name.Trim(), charter.Mandate.Trim(), participants, allMembers, charter.Coordinator, activities, caller.Member, now);
    }
}
