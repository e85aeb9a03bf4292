using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using Microsoft.Extensions.Logging;

using AscCollab.Storage;

namespace AscCollab.Grains;

/// <summary>
/// The single writer of a grain's state row. Changes are accepted in order (each carries the
/// state after it and the log rows it appends); while one batch is being written, later changes
/// queue, and the next batch takes them all (bounded by rows and characters) in ONE atomic
/// <see cref="ILoggedState{TState}.WriteStateAsync(IReadOnlyList{LogEntry})"/>. Callers are
/// released, and their after-commit effects run, only once their batch is durable. If a write
/// fails, that batch and everything queued behind it fail, the state is reloaded from storage
/// and <see cref="Reset"/> tells the owner to rebuild its head from it — unless the reloaded
/// state is the very state the batch wrote: then the write committed and only its answer was
/// lost (a retried batch meets its own ETag change), so the batch is acknowledged after all.
/// Runs on the activation's scheduler: no locks, interleaving only at awaits.
/// </summary>
internal sealed partial class GroupCommit<TState>(ILoggedState<TState> store, int maxRows, int maxChars, ILogger logger)
    where TState : class, new()
{
    /// <summary>
    /// After a batch that held several changes (writers are concurrent), how long the next batch
    /// waits for more before it is written: fewer, larger storage writes, each change waiting at most
    /// this long more. A lone writer (batches of one) never waits. Real time, not the grain's clock.
    /// </summary>
    public TimeSpan Linger { get; init; }

    /// <summary>
    /// Rewrites one batch's log rows just before they are written, e.g. the consecutive records of
    /// one stream into one row. It may merge rows but never add any, so the batch stays within its limits.
    /// </summary>
    public Func<List<LogEntry>, List<LogEntry>>? PackRows { get; init; }

    /// <summary>Whether two states are the same version (e.g. same revision and audit head); null: never assume so.</summary>
    public Func<TState, TState, bool>? SameVersion { get; init; }

    private readonly Queue<PendingChange> _queue = new();
    private bool _writing;
    private int _lastBatchSize;

    /// <summary>The last durable state.</summary>
    public TState Committed { get; private set; } = store.State;

    /// <summary>Called after a failed write, with the state as reloaded from storage.</summary>
    public Action<TState>? Reset { get; set; }

    /// <summary>Called once per durable batch, after the changes' own effects.</summary>
    public Action<TState, bool>? BatchCommitted { get; set; }

    public bool Idle => !_writing && _queue.Count == 0;

    public Task Enqueue(TState after, IReadOnlyList<LogEntry> rows, Action? afterCommit, bool notify)
    {
        var change = new PendingChange(after, rows, rows.Sum(r => r.Json.Length), afterCommit, notify);
        _queue.Enqueue(change);
        if (!_writing)
        {
            _ = WriteLoop();
        }
        return change.Done.Task;
    }

    private async Task WriteLoop()
    {
        _writing = true;
        try
        {
            while (_queue.Count > 0)
            {
                if (Linger > TimeSpan.Zero && _lastBatchSize > 1)
                {
                    // Other writers' next changes are typically a network round trip away.
                    await Task.Delay(Linger);
                }
                var batch = TakeBatch();
                _lastBatchSize = batch.Count;
                var rows = batch.SelectMany(c => c.Rows).ToList();
                if (PackRows is not null)
                {
                    rows = PackRows(rows);
                }
                store.State = batch[^1].After;
                try
                {
                    await store.WriteStateAsync(rows);
                }
                catch (Exception ex)
                {
                    if (!await CommittedDespite(batch, ex))
                    {
                        continue;
                    }
                }
                Committed = batch[^1].After;
                foreach (var change in batch)
                {
                    change.AfterCommit?.Invoke();
                    change.Done.TrySetResult();
                }
                BatchCommitted?.Invoke(Committed, batch.Any(c => c.Notify));
            }
        }
        finally
        {
            _writing = false;
        }
    }

    private List<PendingChange> TakeBatch()
    {
        var batch = new List<PendingChange> { _queue.Dequeue() };
        int rows = batch[0].Rows.Count, chars = batch[0].Chars;
        while (_queue.TryPeek(out var next) && rows + next.Rows.Count <= maxRows && chars + next.Chars <= maxChars)
        {
            batch.Add(_queue.Dequeue());
            rows += next.Rows.Count;
            chars += next.Chars;
        }
        return batch;
    }

    /// <summary>After a failed write: true when storage shows the batch committed anyway; otherwise fails it and the queue.</summary>
    private async Task<bool> CommittedDespite(List<PendingChange> batch, Exception cause)
    {
        var failed = batch.Concat(_queue).ToList();
        LogWriteFailed(logger, cause, failed.Count);
        var error = cause is StorageLimitException
            ? new DomainException(DomainErrorCodes.TooLarge, "The change does not fit in one storage write; nothing was applied.")
            : new DomainException(DomainErrorCodes.Unavailable, "Storage refused the write; nothing was applied. Retry from the latest revision.");
        try
        {
            await store.ReadStateAsync();
            if (SameVersion is not null && SameVersion(store.State, batch[^1].After))
            {
                LogCommittedDespiteError(logger, batch.Count);
                return true;
            }
            Committed = store.State;
        }
        catch (Exception reloadError)
        {
            // Keep the last known durable state: it is what storage held before the failed batch.
            LogReloadFailed(logger, reloadError);
            store.State = Committed;
        }
        _queue.Clear();
        Reset?.Invoke(Committed);
        foreach (var change in failed)
        {
            change.Done.TrySetException(error);
        }
        return false;
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "A state write failed; {Count} queued change(s) were refused and the state is reloaded")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "A state write reported an error but storage holds its result; {Count} change(s) acknowledged")]
    private static partial void LogCommittedDespiteError(ILogger logger, int count);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Reloading the state after a failed write failed")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);

    private sealed record PendingChange(TState After, IReadOnlyList<LogEntry> Rows, int Chars, Action? AfterCommit, bool Notify)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
