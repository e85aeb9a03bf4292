using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using Microsoft.Extensions.Options;

namespace AscCollab.Grains;

/// <summary>The components and activities: the Plan's, plus those added by the Chair or the secretariat.</summary>
[GrainType("activity-catalog")]
internal sealed class ActivityCatalogGrain(
    [PersistentState("state", "store")] IPersistentState<ActivityCatalogState> store,
    IChairmanship chairmanship,
    IOptionsMonitor<AscCollabOptions> options) : AscGrain, IActivityCatalogGrain
{
    public Task<IReadOnlyList<PlanComponent>> Components() => Task.FromResult(PlanOfAction.Components);

    public Task<IReadOnlyList<ActivityInfo>> Activities() =>
        Task.FromResult<IReadOnlyList<ActivityInfo>>([.. PlanOfAction.Activities, .. store.State.Added]);

    public async Task<ActivityInfo> Add(Caller caller, NewActivity activity)
    {
        if (caller.Role != CallerRole.Secretariat && !chairmanship.HasChairRights(caller))
        {
            throw DomainException.Forbidden("Only the Chair or the secretariat adds activities.");
        }
        var limits = options.CurrentValue.Limits;
        if (!Slugs.IsValid(activity.Id))
        {
            throw DomainException.InvalidInput($"'{Echo.Of(activity.Id)}' is not a valid activity id (lower-case words joined by hyphens).");
        }
        if (PlanOfAction.FindComponent(activity.Component) is null)
        {
            throw DomainException.InvalidInput($"'{Echo.Of(activity.Component)}' is not a component of the Plan of Action.");
        }
        if (string.IsNullOrWhiteSpace(activity.Title) || activity.Title.Length > limits.MaxTitleLength)
        {
            throw DomainException.InvalidInput($"The title is required and at most {limits.MaxTitleLength} characters.");
        }
        if (!VisibleText.HasVisible(activity.Title))
        {
            throw DomainException.InvalidInput(VisibleText.Refusal("title"));
        }
        if ((activity.Description ?? "").Length > limits.MaxMandateLength)
        {
            throw DomainException.TooLarge($"The description is longer than {limits.MaxMandateLength} characters.");
        }
        var clean = activity with { Title = activity.Title.Trim(), Description = (activity.Description ?? "").Trim() };
        var info = await GrainFactory.GetGrain<IActivityGrain>(clean.Id).Define(clean);
        store.State.Added.Add(info);
        await store.WriteStateAsync();
        return info;
    }
}

public sealed class ActivityCatalogState
{
    public List<ActivityInfo> Added { get; set; } = [];
}
