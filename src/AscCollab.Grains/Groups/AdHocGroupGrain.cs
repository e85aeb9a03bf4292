using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using Microsoft.Extensions.Options;

namespace AscCollab.Grains;

/// <summary>An ad-hoc group: its charter and the consensus among its participants on the proposals assigned to it.</summary>
[GrainType("group")]
internal sealed class AdHocGroupGrain(
    [PersistentState("state", "store")] IPersistentState<AdHocGroupState> store,
    IRoster roster,
    IChairmanship chairmanship,
    IOptionsMonitor<AscCollabOptions> options,
    TimeProvider time) : AscGrain, IAdHocGroupGrain
{
    public async Task<GroupInfo> SetUp(Caller caller, GroupCharter charter)
    {
        if (!chairmanship.HasChairRights(caller))
        {
            throw DomainException.Forbidden("Only the Chair sets up ad-hoc groups (on behalf of the AMM).");
        }
        if (!Slugs.IsValid(GrainKey))
        {
            throw DomainException.InvalidInput($"'{Echo.Of(GrainKey)}' is not a valid group id (lower-case words joined by hyphens).");
        }
        var directory = GrainFactory.GetGrain<IGroupDirectoryGrain>(IGroupDirectoryGrain.Key);
        if (store.State.Info is not null)
        {
            // A crash may have come between set-up and listing: list it now, then refuse.
            await directory.Add(GrainKey);
            throw DomainException.Conflict($"The group '{Echo.Of(GrainKey)}' is already set up.");
        }
        var info = await GroupCharters.Validate(GrainKey, charter, caller, roster, options.CurrentValue.Limits, GrainFactory, time.GetUtcNow());
        store.State.Info = info;
        await store.WriteStateAsync();
        await directory.Add(GrainKey);
        return Current(info);
    }

    public Task<GroupInfo> Get() => Task.FromResult(Current(Charter()));

    public Task<IReadOnlyList<GroupProposalStatus>> GetConsensus(Caller caller)
    {
        var info = Current(Charter());
        var participant = caller.Role is CallerRole.Delegate or CallerRole.Chair && info.Participants.Contains(caller.Member, StringComparer.Ordinal);
        if (!participant && caller.Role != CallerRole.Secretariat && !chairmanship.HasChairRights(caller))
        {
            throw DomainException.Forbidden($"Only the participants of '{Echo.Of(GrainKey)}', the Chair and the secretariat follow its consensus.");
        }
        return Task.FromResult<IReadOnlyList<GroupProposalStatus>>([.. store.State.Proposals.Values.OrderBy(p => p.ProposalId, StringComparer.Ordinal)]);
    }

    public async Task ProposalChanged(GroupProposalStatus status)
    {
        if (store.State.Info is not { } info
            || (store.State.Proposals.TryGetValue(status.ProposalId, out var known) && known.Version >= status.Version))
        {
            return;
        }
        store.State.Proposals[status.ProposalId] = status;
        await store.WriteStateAsync();
        var audience = status.Recommended ? Audience.All : Audience.Of(Current(info).Participants);
        Publish(new GroupConsensusChanged(GrainKey, status, audience));
    }

    private GroupInfo Charter() =>
        store.State.Info ?? throw DomainException.NotFound($"There is no ad-hoc group '{Echo.Of(GrainKey)}'.");

    /// <summary>A group of all members follows the roster as it is now.</summary>
    private GroupInfo Current(GroupInfo info) =>
        info.AllMembers ? info with { Participants = [.. roster.Members().Select(m => m.Code)] } : info;
}

public sealed class AdHocGroupState
{
    public GroupInfo? Info { get; set; }

    public Dictionary<string, GroupProposalStatus> Proposals { get; set; } = new(StringComparer.Ordinal);
}
