using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace AscCollab.Grains;

/// <summary>One of the six components of the ASC Plan of Action.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.PlanComponent")]
public sealed record PlanComponent(string Id, int Number, string Title);

/// <summary>An area of activity under a component (key: slug).</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.ActivityInfo")]
public sealed record ActivityInfo(string Id, string Title, string Component, string Description, bool FromPlan);

/// <summary>A new activity (the AMM may introduce new measures and activities).</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.NewActivity")]
public sealed record NewActivity(string Id, string Title, string Component, string Description);

/// <summary>An activity (key: slug). Seeded ones answer from the Plan's data; added ones persist.</summary>
[Alias("AscCollab.IActivityGrain")]
public interface IActivityGrain : IGrainWithStringKey
{
    /// <summary>not_found when the activity neither is in the Plan nor was added.</summary>
    [ReadOnly]
    Task<ActivityInfo> Get();

    /// <summary>Stores a new activity; conflict when the slug exists. Called by the catalog.</summary>
    Task<ActivityInfo> Define(NewActivity activity);
}

/// <summary>The catalog of components and activities (single key <see cref="Key"/>).</summary>
[Alias("AscCollab.IActivityCatalogGrain")]
public interface IActivityCatalogGrain : IGrainWithStringKey
{
    public const string Key = "asc-plan";

    [ReadOnly]
    Task<IReadOnlyList<PlanComponent>> Components();

    [ReadOnly]
    Task<IReadOnlyList<ActivityInfo>> Activities();

    /// <summary>Chair or secretariat: adds an activity under a component.</summary>
    Task<ActivityInfo> Add(Caller caller, NewActivity activity);
}
