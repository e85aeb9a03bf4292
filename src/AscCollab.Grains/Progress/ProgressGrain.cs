using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace AscCollab.Grains;

/// <summary>The Chair's dashboard and the index of all proposals, kept current by one-way notes from proposals.</summary>
[GrainType("progress")]
internal sealed class ProgressGrain(
    [PersistentState("state", "store")] IPersistentState<ProgressState> store,
    IRoster roster,
    IChairmanship chairmanship,
    TimeProvider time) : AscGrain, IProgressGrain
{
    public Task<IReadOnlyList<ProposalSummary>> ListProposals(Caller caller)
    {
        var all = caller.Role == CallerRole.Secretariat || chairmanship.HasChairRights(caller);
        var member = roster.IsMember(caller.Member);
        return Task.FromResult<IReadOnlyList<ProposalSummary>>(
        [
            .. store.State.Proposals.Values
                .Where(p => all || (member && (!p.Confidential || p.Participants.Contains(caller.Member, StringComparer.Ordinal))))
                .OrderByDescending(p => p.UpdatedAt)
                .ThenBy(p => p.ProposalId, StringComparer.Ordinal),
        ]);
    }

    public async Task<ProgressOverview> GetOverview(Caller caller)
    {
        RequireMonitor(caller);
        return await Overview();
    }

    public Task<AnnualReport> GetAnnualReport(Caller caller, int year)
    {
        RequireMonitor(caller);
        if (year is < 2004 or > 9999)
        {
            throw DomainException.InvalidInput("The report year must be 2004 or later.");
        }
        return Task.FromResult(ProgressTally.Report(store.State.Proposals.Values, Members(), year, time.GetUtcNow(), chairmanship.CurrentHolder()));
    }

    public async Task ProposalChanged(ProposalSummary summary)
    {
        var proposals = store.State.Proposals;
        if (proposals.TryGetValue(summary.ProposalId, out var known) && known.Version >= summary.Version)
        {
            return;
        }
        proposals[summary.ProposalId] = summary;
        await store.WriteStateAsync();
        Publish(new ProgressChanged(await Overview(), Audience.ChairAndSecretariat));
    }

    private async Task<ProgressOverview> Overview()
    {
        var activities = await GrainFactory.GetGrain<IActivityCatalogGrain>(IActivityCatalogGrain.Key).Activities();
        return ProgressTally.Overview(store.State.Proposals.Values, Members(), activities, time.GetUtcNow());
    }

    private List<string> Members() => [.. roster.Members().Select(m => m.Code)];

    private void RequireMonitor(Caller caller)
    {
        if (caller.Role != CallerRole.Secretariat && !chairmanship.HasChairRights(caller))
        {
            throw DomainException.Forbidden("Progress is for the Chair and the secretariat.");
        }
    }
}

public sealed class ProgressState
{
    public Dictionary<string, ProposalSummary> Proposals { get; set; } = new(StringComparer.Ordinal);
}
