using System.Globalization;

using Orleans.Runtime;
using Orleans.Storage;

namespace AscCollab.Storage;

/// <summary>
/// In-memory storage provider with the same conditional-write semantics as the real one:
/// a stale ETag or an existing log row fails the whole write and changes nothing.
/// For tests and local tools; one instance may be shared by several silos of one process.
/// </summary>
public sealed class MemoryLogStorage : ILogStorage
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(GrainId Grain, string State), StoredState> _states = [];
    private readonly Dictionary<(GrainId Grain, string Stream), SortedDictionary<long, LogEntry>> _logs = [];
    private long _lastETag;

    public Task<StoredState?> ReadStateAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_states.GetValueOrDefault((grainId, stateName)));
        }
    }

    public Task<string> WriteStateAsync(GrainId grainId, string stateName, string json, string? expectedETag, IReadOnlyList<LogEntry> appends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(appends);
        lock (_gate)
        {
            CheckETag(grainId, stateName, expectedETag);
            var seen = new HashSet<(string, long)>();
            foreach (var entry in appends)
            {
                if (!seen.Add((entry.Stream, entry.Sequence)) ||
                    (_logs.TryGetValue((grainId, entry.Stream), out var log) && log.ContainsKey(entry.Sequence)))
                {
                    throw new InconsistentStateException($"Log row {entry.Stream}|{entry.Sequence} of {grainId} already exists; nothing was written.");
                }
            }

            var etag = (++_lastETag).ToString(CultureInfo.InvariantCulture);
            _states[(grainId, stateName)] = new StoredState(json, etag);
            foreach (var entry in appends)
            {
                if (!_logs.TryGetValue((grainId, entry.Stream), out var log))
                {
                    log = [];
                    _logs[(grainId, entry.Stream)] = log;
                }

                log[entry.Sequence] = entry;
            }

            return Task.FromResult(etag);
        }
    }

    /// <summary>Removes the state row. The log is history and stays.</summary>
    public Task ClearStateAsync(GrainId grainId, string stateName, string? expectedETag, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            CheckETag(grainId, stateName, expectedETag);
            _states.Remove((grainId, stateName));
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<LogEntry>> ReadLogAsync(GrainId grainId, string stream, long fromSequence, long toSequence, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<LogEntry> entries = _logs.TryGetValue((grainId, stream), out var log)
                ? [.. log.Values.Where(e => e.Sequence >= fromSequence && e.Sequence <= toSequence)]
                : [];
            return Task.FromResult(entries);
        }
    }

    /// <summary>Everything stored now, to go back to with <see cref="RollBack"/>.</summary>
    public object Save()
    {
        lock (_gate)
        {
            return new Saved(
                new Dictionary<(GrainId, string), StoredState>(_states),
                _logs.ToDictionary(l => l.Key, l => new SortedDictionary<long, LogEntry>(l.Value)));
        }
    }

    /// <summary>
    /// Goes back to what <see cref="Save"/> returned, as Azurite does when it restarts from its last
    /// save to disk: writes since are gone, and the older rows keep their older ETags.
    /// </summary>
    public void RollBack(object saved)
    {
        var back = (Saved)saved;
        lock (_gate)
        {
            _states.Clear();
            foreach (var (key, value) in back.States)
            {
                _states[key] = value;
            }
            _logs.Clear();
            foreach (var (key, value) in back.Logs)
            {
                _logs[key] = new SortedDictionary<long, LogEntry>(value);
            }
        }
    }

    private sealed record Saved(Dictionary<(GrainId, string), StoredState> States, Dictionary<(GrainId, string), SortedDictionary<long, LogEntry>> Logs);

    private void CheckETag(GrainId grainId, string stateName, string? expectedETag)
    {
        var current = _states.GetValueOrDefault((grainId, stateName))?.ETag;
        if (current != expectedETag)
        {
            throw new InconsistentStateException(
                $"State '{stateName}' of {grainId}: expected ETag '{expectedETag ?? "(none)"}' but the stored one is '{current ?? "(none)"}'.");
        }
    }
}
