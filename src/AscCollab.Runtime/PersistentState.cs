namespace AscCollab.Runtime;

/// <summary>A grain's persistent state, read on activation and written under its ETag.</summary>
public interface IPersistentState<TState> where TState : class, new()
{
    TState State { get; set; }

    /// <summary>The ETag of the stored record, or null when none exists.</summary>
    string? Etag { get; }

    bool RecordExists { get; }

    Task ReadStateAsync();

    /// <summary>Writes under the current ETag; throws <see cref="InconsistentStateException"/> when it is stale.</summary>
    Task WriteStateAsync();

    Task ClearStateAsync();
}

/// <summary>
/// Persistent state with an append-only log kept beside it in the same partition.
/// <see cref="WriteStateAsync(IReadOnlyList{LogEntry})"/> appends the entries and replaces
/// the state in one atomic write (an entity-group batch on Azure Table storage).
/// </summary>
public interface ILoggedState<TState> : IPersistentState<TState> where TState : class, new()
{
    Task WriteStateAsync(IReadOnlyList<LogEntry> appends);

    /// <summary>Entries of <paramref name="stream"/> with sequence in [fromSequence, toSequence], ascending.</summary>
    Task<IReadOnlyList<LogEntry>> ReadLogAsync(string stream, long fromSequence, long toSequence);
}

/// <summary>One appended log row: a named stream ("op", "audit"), a sequence and a JSON payload.</summary>
public sealed record LogEntry(string Stream, long Sequence, string Json);
