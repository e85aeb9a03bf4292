using AscCollab.Runtime;

namespace AscCollab.Grains.Tests;

/// <summary>
/// The runtime's memory storage plus what tests need of real storage going wrong: writes that
/// fail, and stored log rows that someone altered behind the application's back.
/// </summary>
internal sealed class TestStorage : IGrainStorage
{
    private readonly MemoryGrainStorage _inner = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<(GrainId, string, long), string> _tampered = [];
    private int _failWrites;

    public int Writes { get; private set; }

    /// <summary>The next <paramref name="count"/> state writes fail as a storage outage would (nothing written).</summary>
    public void FailNextWrites(int count)
    {
        lock (_gate)
        {
            _failWrites = count;
        }
    }

    public void Tamper(GrainId grain, string stream, long sequence, string json)
    {
        lock (_gate)
        {
            _tampered[(grain, stream, sequence)] = json;
        }
    }

    public Task<StoredState?> ReadStateAsync(GrainId grainId, string stateName, CancellationToken cancellationToken) =>
        _inner.ReadStateAsync(grainId, stateName, cancellationToken);

    public Task<string> WriteStateAsync(GrainId grainId, string stateName, string json, string? expectedETag, IReadOnlyList<LogEntry> appends, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Writes++;
            if (_failWrites > 0)
            {
                _failWrites--;
                throw new IOException("Simulated storage outage.");
            }
        }
        return _inner.WriteStateAsync(grainId, stateName, json, expectedETag, appends, cancellationToken);
    }

    public Task ClearStateAsync(GrainId grainId, string stateName, string? expectedETag, CancellationToken cancellationToken) =>
        _inner.ClearStateAsync(grainId, stateName, expectedETag, cancellationToken);

    public async Task<IReadOnlyList<LogEntry>> ReadLogAsync(GrainId grainId, string stream, long fromSequence, long toSequence, CancellationToken cancellationToken)
    {
        var rows = await _inner.ReadLogAsync(grainId, stream, fromSequence, toSequence, cancellationToken);
        lock (_gate)
        {
            return [.. rows.Select(r => _tampered.TryGetValue((grainId, stream, r.Sequence), out var json) ? r with { Json = json } : r)];
        }
    }
}
