namespace AscCollab.Storage;

/// <summary>
/// Persistent state with an append-only log kept beside it in the same partition: the logged-state
/// facet, injected like Orleans' <c>IPersistentState&lt;T&gt;</c> with <see cref="LoggedStateAttribute"/>
/// and read before <c>OnActivateAsync</c>. <see cref="WriteStateAsync(IReadOnlyList{LogEntry})"/>
/// appends the entries and replaces the state in one atomic write (an entity-group transaction
/// under the state row's ETag on Azure Table storage).
/// </summary>
public interface ILoggedState<TState> where TState : class, new()
{
    TState State { get; set; }

    /// <summary>The ETag of the stored record, or null when none exists.</summary>
    string? Etag { get; }

    bool RecordExists { get; }

    Task ReadStateAsync();

    /// <summary>Writes under the current ETag; throws <see cref="Orleans.Storage.InconsistentStateException"/> when it is stale.</summary>
    Task WriteStateAsync();

    Task WriteStateAsync(IReadOnlyList<LogEntry> appends);

    Task ClearStateAsync();

    /// <summary>Entries of <paramref name="stream"/> with sequence in [fromSequence, toSequence], ascending.</summary>
    Task<IReadOnlyList<LogEntry>> ReadLogAsync(string stream, long fromSequence, long toSequence);
}
