using System.Text;
using Orleans.Runtime;

namespace AscCollab.Storage;

/// <summary>A stored state row: the serialized state and its ETag.</summary>
public sealed record StoredState(string Json, string ETag);

/// <summary>One appended log row: a named stream ("op", "audit"), a sequence and a JSON payload.</summary>
public sealed record LogEntry(string Stream, long Sequence, string Json);

/// <summary>
/// The storage port behind <see cref="ILoggedState{TState}"/>: a grain's state row and its
/// append-only log rows in one partition. Registered as a keyed singleton under the storage name
/// that <see cref="LoggedStateAttribute.StorageName"/> gives. Every write is conditional:
/// <c>expectedETag</c> null means "must not exist yet".
/// </summary>
public interface ILogStorage
{
    Task<StoredState?> ReadStateAsync(GrainId grainId, string stateName, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the state and inserts <paramref name="appends"/> atomically; returns the new ETag.
    /// Throws <see cref="Orleans.Storage.InconsistentStateException"/> on a stale ETag or an existing
    /// log row, <see cref="StorageLimitException"/> when a documented limit would be exceeded.
    /// </summary>
    Task<string> WriteStateAsync(GrainId grainId, string stateName, string json, string? expectedETag, IReadOnlyList<LogEntry> appends, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="WriteStateAsync"/> with the state as UTF-8 JSON, as logged state serialises it: a
    /// provider that stores UTF-8 (the Azure Table provider) takes it as it is, without a UTF-16 copy
    /// of a state that holds a whole document. Others get it as a string.
    /// </summary>
    Task<string> WriteStateUtf8Async(GrainId grainId, string stateName, byte[] utf8Json, string? expectedETag, IReadOnlyList<LogEntry> appends, CancellationToken cancellationToken) =>
        WriteStateAsync(grainId, stateName, Encoding.UTF8.GetString(utf8Json ?? throw new ArgumentNullException(nameof(utf8Json))), expectedETag, appends, cancellationToken);

    Task ClearStateAsync(GrainId grainId, string stateName, string? expectedETag, CancellationToken cancellationToken);

    /// <summary>Entries of <paramref name="stream"/> with sequence in [fromSequence, toSequence], ascending.</summary>
    Task<IReadOnlyList<LogEntry>> ReadLogAsync(GrainId grainId, string stream, long fromSequence, long toSequence, CancellationToken cancellationToken);
}

/// <summary>A write would break a storage limit (entity size, property size, batch size). Nothing was written.</summary>
public sealed class StorageLimitException : Exception
{
    public StorageLimitException() { }
    public StorageLimitException(string message) : base(message) { }
    public StorageLimitException(string message, Exception inner) : base(message, inner) { }
}
