using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace AscCollab.Grains;

/// <summary>An activity: from the Plan's data, or added later and persisted.</summary>
[GrainType("activity")]
internal sealed class ActivityGrain(
    [PersistentState("state", "store")] IPersistentState<ActivityState> store) : AscGrain, IActivityGrain
{
    public Task<ActivityInfo> Get() =>
        Task.FromResult(PlanOfAction.FindActivity(GrainKey)
            ?? store.State.Activity
            ?? throw DomainException.NotFound($"There is no activity '{Echo.Of(GrainKey)}'."));

    public async Task<ActivityInfo> Define(NewActivity activity)
    {
        if (activity.Id != GrainKey)
        {
            throw DomainException.InvalidInput($"The activity id '{Echo.Of(activity.Id)}' does not match '{Echo.Of(GrainKey)}'.");
        }
        if (PlanOfAction.FindActivity(GrainKey) is not null || store.State.Activity is not null)
        {
            throw DomainException.Conflict($"The activity '{Echo.Of(GrainKey)}' exists.");
        }
        store.State.Activity = new ActivityInfo(activity.Id, activity.Title, activity.Component, activity.Description, FromPlan: false);
        await store.WriteStateAsync();
        return store.State.Activity;
    }
}

public sealed class ActivityState
{
    public ActivityInfo? Activity { get; set; }
}
