using AscCollab.Runtime;

namespace AscCollab.Grains;

/// <summary>One of the six components of the ASC Plan of Action.</summary>
public sealed record PlanComponent(string Id, int Number, string Title);

/// <summary>An area of activity under a component (key: slug).</summary>
public sealed record ActivityInfo(string Id, string Title, string Component, string Description, bool FromPlan);

/// <summary>A new activity (the AMM may introduce new measures and activities).</summary>
public sealed record NewActivity(string Id, string Title, string Component, string Description);

/// <summary>An activity (key: slug). Seeded ones answer from the Plan's data; added ones persist.</summary>
public interface IActivityGrain : IGrainWithStringKey
{
    /// <summary>not_found when the activity neither is in the Plan nor was added.</summary>
    [AlwaysInterleave]
    Task<ActivityInfo> Get();

    /// <summary>Stores a new activity; conflict when the slug exists. Called by the catalog.</summary>
    Task<ActivityInfo> Define(NewActivity activity);
}

/// <summary>The catalog of components and activities (single key <see cref="Key"/>).</summary>
public interface IActivityCatalogGrain : IGrainWithStringKey
{
    public const string Key = "asc-plan";

    [AlwaysInterleave]
    Task<IReadOnlyList<PlanComponent>> Components();

    [AlwaysInterleave]
    Task<IReadOnlyList<ActivityInfo>> Activities();

    /// <summary>Chair or secretariat: adds an activity under a component.</summary>
    Task<ActivityInfo> Add(Caller caller, NewActivity activity);
}
