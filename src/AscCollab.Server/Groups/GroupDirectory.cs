using AscCollab.Runtime;

namespace AscCollab.Server;

/// <summary>
/// The ids of every ad-hoc group set up, so <c>GET /api/groups</c> needs no storage scan (the
/// domain's group grain is keyed by id and has no index of its peers). Single key <see cref="Key"/>.
/// </summary>
internal interface IGroupDirectoryGrain : IGrainWithStringKey
{
    public const string Key = "asc";

    [AlwaysInterleave]
    Task<IReadOnlyList<string>> List();

    /// <summary>Idempotent: adding a listed id changes nothing.</summary>
    Task Add(string groupId);
}

[GrainType("group-directory")]
internal sealed class GroupDirectoryGrain([PersistentState("state", GrainHosting.StorageName)] IPersistentState<GroupDirectoryState> store)
    : Grain, IGroupDirectoryGrain
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
