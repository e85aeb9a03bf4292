namespace AscCollab.Runtime;

/// <summary>Names a grain type for identities and storage (<c>proposal</c> in <c>proposal|p-42</c>).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>
/// Every call on this grain may interleave with others at await points. Turns still run
/// one at a time on the activation's scheduler: there are no data races, only interleavings.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ReentrantAttribute : Attribute;

/// <summary>This interface method may interleave with any other call (read-only queries, group commit).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute;

/// <summary>
/// Fire-and-forget: the caller's task completes once the call is queued; a failure is logged.
/// Used for notifications that flow back up the call graph so non-reentrant grains cannot deadlock.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OneWayAttribute : Attribute;

/// <summary>Injects an <see cref="IPersistentState{TState}"/> (or <see cref="ILoggedState{TState}"/>) into a grain constructor.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string storageName) : Attribute
{
    public string StateName { get; } = stateName;
    public string StorageName { get; } = storageName;
}
