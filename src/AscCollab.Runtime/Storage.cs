namespace AscCollab.Runtime;

/// <summary>A stored state record: the serialized state and its ETag.</summary>
public sealed record StoredState(string Json, string ETag);

/// <summary>
/// The storage port. Providers are registered by name; grains pick one through
/// <see cref="PersistentStateAttribute.StorageName"/>. Every write is conditional:
/// <paramref name="expectedETag"/> null means "must not exist yet".
/// </summary>
public interface IGrainStorage
{
    Task<StoredState?> ReadStateAsync(GrainId grainId, string stateName, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the state and inserts <paramref name="appends"/> atomically; returns the new ETag.
    /// Throws <see cref="InconsistentStateException"/> on a stale ETag or an existing log row,
    /// <see cref="StorageLimitException"/> when a documented limit would be exceeded.
    /// </summary>
    Task<string> WriteStateAsync(GrainId grainId, string stateName, string json, string? expectedETag, IReadOnlyList<LogEntry> appends, CancellationToken cancellationToken);

    Task ClearStateAsync(GrainId grainId, string stateName, string? expectedETag, CancellationToken cancellationToken);

    Task<IReadOnlyList<LogEntry>> ReadLogAsync(GrainId grainId, string stream, long fromSequence, long toSequence, CancellationToken cancellationToken);
}

/// <summary>The stored ETag did not match: another writer got there first. The activation reloads.</summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException() { }
    public InconsistentStateException(string message) : base(message) { }
    public InconsistentStateException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A write would break a storage limit (entity size, property size, batch size). Nothing was written.</summary>
public sealed class StorageLimitException : Exception
{
    public StorageLimitException() { }
    public StorageLimitException(string message) : base(message) { }
    public StorageLimitException(string message, Exception inner) : base(message, inner) { }
}
