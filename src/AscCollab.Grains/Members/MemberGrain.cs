using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace AscCollab.Grains;

/// <summary>What awaits one delegation, kept current by one-way notes from proposals.</summary>
[GrainType("member")]
internal sealed class MemberGrain(
    [PersistentState("state", "store")] IPersistentState<MemberState> store,
    IRoster roster,
    IChairmanship chairmanship) : AscGrain, IMemberGrain
{
    public Task<MemberInfo> GetInfo() => Task.FromResult(Info());

    public Task<MemberToDo> GetToDo(Caller caller)
    {
        Info();
        var own = caller.Member == GrainKey && caller.Role is CallerRole.Delegate or CallerRole.Chair;
        if (!own && caller.Role != CallerRole.Secretariat && !chairmanship.HasChairRights(caller))
        {
            throw DomainException.Forbidden($"Only {GrainKey}'s delegation, the Chair and the secretariat see {GrainKey}'s to-do list.");
        }
        return Task.FromResult(ToDo());
    }

    public async Task ProposalNeeds(string proposalId, long version, ToDoItem? item)
    {
        var entries = store.State.Entries;
        if (entries.TryGetValue(proposalId, out var known) && known.Version >= version)
        {
            return;
        }
        if (item is null && known is null)
        {
            return;
        }
        entries[proposalId] = new MemberToDoEntry(version, item);
        await store.WriteStateAsync();
        if (roster.IsMember(GrainKey))
        {
            Publish(new MemberToDoChanged(GrainKey, ToDo(), Audience.Of([GrainKey])));
        }
    }

    private MemberInfo Info() =>
        roster.Find(GrainKey) ?? throw DomainException.NotFound($"'{Echo.Of(GrainKey)}' is not a member of ASEAN.");

    private MemberToDo ToDo() => new(GrainKey,
    [
        .. store.State.Entries.Values
            .Where(e => e.Item is not null)
            .Select(e => e.Item!)
            .OrderBy(i => i.Deadline ?? DateTimeOffset.MaxValue)
            .ThenBy(i => i.ProposalId, StringComparer.Ordinal),
    ]);
}

/// <summary>Per proposal, the latest note (by version; an entry with no item keeps the version so older notes stay ignored).</summary>
public sealed class MemberState
{
    public Dictionary<string, MemberToDoEntry> Entries { get; set; } = new(StringComparer.Ordinal);
}

public sealed record MemberToDoEntry(long Version, ToDoItem? Item);
