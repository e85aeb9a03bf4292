using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Orleans.Storage;

namespace AscCollab.Grains.Tests;

/// <summary>
/// Plain grain state ("store") kept outside any one cluster, in the JSON shape the real host stores
/// (<see cref="StateJson"/>), so a restarted cluster or a second silo reads what the first wrote.
/// Orleans' memory grain storage lives in a grain of its cluster and would be lost on a restart.
/// </summary>
internal sealed class SharedGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), (string Json, string ETag)> _rows = new();
    private long _lastETag;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_rows.TryGetValue((stateName, grainId), out var row))
        {
            grainState.State = JsonSerializer.Deserialize<T>(row.Json, StateJson.Options)!;
            grainState.ETag = row.ETag;
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        var json = JsonSerializer.Serialize(grainState.State, StateJson.Options);
        var etag = Interlocked.Increment(ref _lastETag).ToString(CultureInfo.InvariantCulture);
        lock (_rows)
        {
            var current = _rows.TryGetValue(key, out var row) ? row.ETag : null;
            if (current != grainState.ETag)
            {
                throw new InconsistentStateException($"State '{stateName}' of {grainId}: ETag {grainState.ETag} is stale (stored {current}).", current, grainState.ETag);
            }
            _rows[key] = (json, etag);
        }
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_rows)
        {
            _rows.TryRemove((stateName, grainId), out _);
        }
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
