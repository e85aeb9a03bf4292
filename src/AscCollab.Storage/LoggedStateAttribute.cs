using Orleans;

namespace AscCollab.Storage;

/// <summary>Injects an <see cref="ILoggedState{TState}"/> into a grain constructor (as <c>[PersistentState]</c> does for plain state).</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class LoggedStateAttribute(string stateName, string storageName) : Attribute, IFacetMetadata
{
    public string StateName { get; } = stateName;

    /// <summary>The key of the <see cref="ILogStorage"/> keyed singleton.</summary>
    public string StorageName { get; } = storageName;
}
