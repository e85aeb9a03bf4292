using System.Diagnostics.Metrics;
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

    /// <summary>
    /// A number that every change increases (e.g. the audit sequence). With it, a reload that finds
    /// storage at an older version than <see cref="Committed"/> is repaired from <see cref="RepairWindow"/>
    /// instead of being taken as the truth. Null: no repair.
    /// </summary>
    public Func<TState, long>? VersionOf { get; init; }

    /// <summary>How long committed batches are kept in memory for a repair.</summary>
    public TimeSpan RepairWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>At most this many committed batches are kept for a repair, however recent.</summary>
    public int RepairCapacity { get; init; } = 20_000;

    /// <summary>
    /// Called (with the stored and the committed version) when storage is behind and the lost commits are
    /// no longer all held in memory: the loss cannot be repaired here and must be reported.
    /// </summary>
    public Action<long, long>? Unrepairable { get; init; }

    /// <summary>The clock of the repair window.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    private readonly Queue<PendingChange> _queue = new();
    private readonly Queue<WrittenBatch> _written = new();
    private WrittenBatch? _lastWritten;
    private int _runRows;
    private int _runChars;

    // Set while storage is known to be behind Committed and the repair has not succeeded: nothing is
    // written on top of the older state (that would leave a hole where acknowledged commits were).
    private bool _behind;
    private bool _writing;
    private int _holds;
    private int _lastBatchSize;

    /// <summary>The last durable state.</summary>
    public TState Committed { get; private set; } = store.State;

    /// <summary>Called after a failed write, with the state as reloaded from storage.</summary>
    public Action<TState>? Reset { get; set; }

    /// <summary>Called once per durable batch, after the changes' own effects.</summary>
    public Action<TState, bool>? BatchCommitted { get; set; }

    /// <summary>Completes a state read back from storage before it becomes <see cref="Committed"/> (the proposal's text, from its rows).</summary>
    public Func<TState, Task<TState>>? Loaded { get; init; }

    public bool Idle => !_writing && _queue.Count == 0;

    public Task Enqueue(TState after, IReadOnlyList<LogEntry> rows, Action? afterCommit, bool notify)
    {
        var change = new PendingChange(after, rows, rows.Sum(r => r.Json.Length), afterCommit, notify);
        _queue.Enqueue(change);
        if (!_writing && _holds == 0)
        {
            _ = WriteLoop();
        }
        return change.Done.Task;
    }

    /// <summary>
    /// Until the returned scope is disposed, changes queue but no write starts: changes accepted
    /// together (e.g. the edits of one call) go to storage in one batch, the first not alone.
    /// </summary>
    public HoldScope Hold()
    {
        _holds++;
        return new HoldScope(this);
    }

    private void Release()
    {
        if (--_holds == 0 && !_writing && _queue.Count > 0)
        {
            // What was held came together: it is written at once, without the linger.
            _ = WriteLoop(lingerFirst: false);
        }
    }

    /// <summary>The scope of one <see cref="Hold"/>.</summary>
    public readonly struct HoldScope(GroupCommit<TState> owner) : IDisposable
    {
        public void Dispose() => owner.Release();
    }

    private async Task WriteLoop(bool lingerFirst = true)
    {
        _writing = true;
        try
        {
            for (var first = true; _queue.Count > 0; first = false)
            {
                if (Linger > TimeSpan.Zero && _lastBatchSize > 1 && (lingerFirst || !first))
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
                if (!await WriteBatch(batch, rows))
                {
                    continue;
                }
                CommitMetrics.Changes.Record(batch.Count);
                Remember(Committed, batch[^1].After, rows);
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

    /// <summary>True once the batch is durable; false when it failed (and the queue with it).</summary>
    private async Task<bool> WriteBatch(List<PendingChange> batch, List<LogEntry> rows)
    {
        if (_behind && !await RepairFromStorage())
        {
            FailAll(batch, StorageBehindError);
            return false;
        }
        for (var attempt = 0; ; attempt++)
        {
            store.State = batch[^1].After;
            try
            {
                await store.WriteStateAsync(rows);
                return true;
            }
            catch (Exception ex)
            {
                switch (await AfterFailedWrite(batch, ex, mayRepair: attempt == 0))
                {
                    case WriteOutcome.Committed:
                        return true;
                    case WriteOutcome.Repaired:
                        // Storage holds everything acknowledged again; the batch goes on top of it.
                        continue;
                    default:
                        return false;
                }
            }
        }
    }

    /// <summary>
    /// Keeps a durable batch for the repair window. Only the state at the end of each run of batches
    /// that fits one storage write together (within the commit limits) is kept: a repair writes such
    /// a run as one write with that state, which stores exactly what the batches stored one by one.
    /// The states in between are dropped — each holds the whole text, and 60 s of them under load
    /// held hundreds of megabytes.
    /// </summary>
    private void Remember(TState before, TState after, List<LogEntry> rows)
    {
        if (VersionOf is null)
        {
            return;
        }
        var chars = rows.Sum(r => r.Json.Length);
        // The last batch kept (if any is still kept, it is the last in the queue) and this one must follow on.
        if (_written.Count > 0 && _lastWritten is { After: { } previousAfter } previous && VersionOf(previousAfter) == VersionOf(before)
            && _runRows + rows.Count <= maxRows && _runChars + chars <= maxChars)
        {
            // This batch joins the previous one's run: the run now ends here.
            previous.After = null;
            _runRows += rows.Count;
            _runChars += chars;
        }
        else
        {
            (_runRows, _runChars) = (rows.Count, chars);
        }
        _lastWritten = new WrittenBatch(VersionOf(before), after, rows, Clock.GetUtcNow());
        _written.Enqueue(_lastWritten);
        ForgetExpired();
    }

    private void ForgetExpired()
    {
        var now = Clock.GetUtcNow();
        while (_written.Count > RepairCapacity || (_written.TryPeek(out var oldest) && now - oldest.At > RepairWindow))
        {
            _written.Dequeue();
        }
    }

    /// <summary>
    /// Storage is at <paramref name="stored"/>, older than what this activation committed: writes the
    /// lost batches again, in order, exactly as they were first written (same rows, same states).
    /// False when the batches since that version are no longer all held (outside the window).
    /// </summary>
    private async Task<bool> Repair(long stored, long committed)
    {
        ForgetExpired();
        var lost = _written.SkipWhile(b => b.VersionBefore != stored).ToList();
        if (lost.Count == 0 || lost[^1].After is not { } last || VersionOf!(last) != committed)
        {
            LogRepairImpossible(logger, stored, committed, RepairWindow.TotalSeconds);
            Unrepairable?.Invoke(stored, committed);
            return false;
        }
        try
        {
            // One write per run of batches, with the state the run ended at (see Remember).
            var rows = new List<LogEntry>();
            foreach (var batch in lost)
            {
                rows.AddRange(batch.Rows);
                if (batch.After is not { } after)
                {
                    continue;
                }
                store.State = after;
                await store.WriteStateAsync(rows);
                rows = [];
            }
        }
        catch (Exception ex)
        {
            LogRepairFailed(logger, ex, stored, committed);
            return false;
        }
        LogRepaired(logger, stored, committed, lost.Count, lost.Sum(b => b.Rows.Count));
        return true;
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

    /// <summary>
    /// After a failed write: Committed when storage shows the batch committed anyway; Repaired when
    /// storage had gone back to an older version and the lost batches were written again (the batch
    /// is to be written once more); otherwise fails the batch and the queue (nothing was applied).
    /// </summary>
    private async Task<WriteOutcome> AfterFailedWrite(List<PendingChange> batch, Exception cause, bool mayRepair)
    {
        var error = cause is StorageLimitException
            ? new DomainException(DomainErrorCodes.TooLarge, "The change does not fit in one storage write; nothing was applied.")
            : new DomainException(DomainErrorCodes.Unavailable, "Storage refused the write; nothing was applied. Retry from the latest revision.");
        try
        {
            await store.ReadStateAsync();
            if (SameVersion is not null && SameVersion(store.State, batch[^1].After))
            {
                LogCommittedDespiteError(logger, batch.Count);
                return WriteOutcome.Committed;
            }
            if (VersionOf is not null && VersionOf(store.State) is var stored && VersionOf(Committed) is var committed && stored < committed)
            {
                // Storage lost acknowledged commits (Azurite restarted from an older save). Never take
                // the older state as the truth: its revisions were acknowledged with other content.
                LogStorageBehind(logger, cause, stored, committed);
                _behind = true;
                if (mayRepair && await Repair(stored, committed))
                {
                    _behind = false;
                    return WriteOutcome.Repaired;
                }
                store.State = Committed;
                error = StorageBehindError;
            }
            else
            {
                LogWriteFailed(logger, cause, batch.Count + _queue.Count);
                Committed = Loaded is null ? store.State : await Loaded(store.State);
            }
        }
        catch (Exception reloadError)
        {
            // Keep the last known durable state: it is what storage held before the failed batch.
            LogReloadFailed(logger, reloadError);
            store.State = Committed;
        }
        FailAll(batch, error);
        return WriteOutcome.Failed;
    }

    private static DomainException StorageBehindError => new(DomainErrorCodes.Unavailable,
        "Storage lost recent changes and they could not be written again yet; nothing was applied. Retry shortly.");

    /// <summary>While storage is behind: reloads it and writes the lost commits again. True once storage holds <see cref="Committed"/>.</summary>
    private async Task<bool> RepairFromStorage()
    {
        try
        {
            await store.ReadStateAsync();
        }
        catch (Exception ex)
        {
            LogReloadFailed(logger, ex);
            return false;
        }
        var stored = VersionOf!(store.State);
        var committed = VersionOf(Committed);
        var repaired = stored >= committed || await Repair(stored, committed);
        store.State = Committed;
        _behind = !repaired;
        return repaired;
    }

    /// <summary>Fails the batch and everything queued behind it; the owner rebuilds its head from <see cref="Committed"/>.</summary>
    private void FailAll(List<PendingChange> batch, DomainException error)
    {
        var failed = batch.Concat(_queue).ToList();
        _queue.Clear();
        Reset?.Invoke(Committed);
        foreach (var change in failed)
        {
            change.Done.TrySetException(error);
        }
    }

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Storage is behind what this proposal committed (version {Stored} stored, {Committed} committed): the lost commits are written again from memory")]
    private static partial void LogStorageBehind(ILogger logger, Exception cause, long stored, long committed);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Storage repaired: versions {Stored}..{Committed} written again ({Batches} commits, {Rows} rows)")]
    private static partial void LogRepaired(ILogger logger, long stored, long committed, int batches, int rows);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Critical, Message = "Storage is behind (version {Stored} stored, {Committed} committed) and the commits since are not all held in memory (window {WindowSeconds} s): nothing is written until it is resolved")]
    private static partial void LogRepairImpossible(ILogger logger, long stored, long committed, double windowSeconds);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Critical, Message = "Writing the lost commits (versions {Stored}..{Committed}) again failed; nothing is written until it succeeds")]
    private static partial void LogRepairFailed(ILogger logger, Exception exception, long stored, long committed);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "A state write failed; {Count} queued change(s) were refused and the state is reloaded")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "A state write reported an error but storage holds its result; {Count} change(s) acknowledged")]
    private static partial void LogCommittedDespiteError(ILogger logger, int count);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Reloading the state after a failed write failed")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);

    private enum WriteOutcome
    {
        Committed,
        Repaired,
        Failed,
    }

    /// <summary>
    /// A durable batch as it was written, kept for <see cref="RepairWindow"/>: its rows, and the state
    /// after it if it ends a run of batches that fit one write together (null otherwise).
    /// </summary>
    private sealed class WrittenBatch(long versionBefore, TState? after, List<LogEntry> rows, DateTimeOffset at)
    {
        public long VersionBefore { get; } = versionBefore;
        public TState? After { get; set; } = after;
        public List<LogEntry> Rows { get; } = rows;
        public DateTimeOffset At { get; } = at;
    }

    private sealed record PendingChange(TState After, IReadOnlyList<LogEntry> Rows, int Chars, Action? AfterCommit, bool Notify)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The group commit's instruments (meter <c>AscCollab</c>, read by <c>GET /metrics</c>).</summary>
internal static class CommitMetrics
{
    private static readonly Meter Meter = new("AscCollab");

    public static readonly Histogram<int> Changes = Meter.CreateHistogram<int>(
        "asccollab.commit.changes", "{change}", "Changes (edits, sign-offs, ...) per durable group-commit batch, i.e. per storage write.");
}
