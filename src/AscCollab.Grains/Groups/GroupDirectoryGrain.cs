using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace AscCollab.Grains;

/// <summary>
/// The ids of every ad-hoc group set up, so listing groups needs no storage scan (a group grain
/// is keyed by id and knows no peers). Single key <see cref="Key"/>; groups list themselves on set-up.
/// </summary>
[Alias("AscCollab.IGroupDirectoryGrain")]
public interface IGroupDirectoryGrain : IGrainWithStringKey
{
    public const string Key = "asc";

    [ReadOnly]
    Task<IReadOnlyList<string>> List();

    /// <summary>Idempotent: adding a listed id changes nothing.</summary>
    Task Add(string groupId);
}

[GrainType("group-directory")]
internal sealed class GroupDirectoryGrain([PersistentState("state", "store")] IPersistentState<GroupDirectoryState> store)
    : AscGrain, IGroupDirectoryGrain
{
    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. store.State.Groups]);

    public async Task Add(string groupId)
    {
        if (store.State.Groups.Add(groupId))
        {
            await store.WriteStateAsync();
        }
    }
}

internal sealed class GroupDirectoryState
{
    public SortedSet<string> Groups { get; set; } = new(StringComparer.Ordinal);
}
