namespace AscCollab.Grains.Tests;

/// <summary>
/// The storage account of one test: the proposals' log storage (a decorator over
/// <see cref="MemoryLogStorage"/>, registered as "proposals") with what tests need of real storage
/// going wrong — writes held, failing or losing their answer, log rows altered behind the
/// application's back — and beside it the plain grain state and the reminder table. Every cluster
/// started over the same instance (a restart, a second silo) sees the same data.
/// </summary>
internal sealed class TestStorage : ILogStorage
{
    private readonly MemoryLogStorage _inner = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<(GrainId, string, long), string> _tampered = [];
    private readonly Dictionary<GrainId, int> _writes = [];
    private readonly Dictionary<GrainId, int> _failWrites = [];

    /// <summary>Plain grain state ("store").</summary>
    public SharedGrainStorage Plain { get; } = new();

    public SharedReminderTable Reminders { get; } = new();

    public int WritesOf(GrainId grain)
    {
        lock (_gate)
        {
            return _writes.GetValueOrDefault(grain);
        }
    }

    /// <summary>The next <paramref name="count"/> state writes of <paramref name="grain"/> fail as a storage outage would (nothing written).</summary>
    public void FailNextWrites(GrainId grain, int count)
    {
        lock (_gate)
        {
            _failWrites[grain] = count;
        }
    }

    private readonly Dictionary<GrainId, int> _loseAnswers = [];

    /// <summary>The next <paramref name="count"/> writes of <paramref name="grain"/> commit, then report an error (a lost response).</summary>
    public void LoseNextAnswers(GrainId grain, int count)
    {
        lock (_gate)
        {
            _loseAnswers[grain] = count;
        }
    }

    /// <summary>What the proposals' storage holds now (<see cref="RollBack"/> returns to it).</summary>
    public object Save() => _inner.Save();

    /// <summary>Storage goes back to <paramref name="saved"/>: Azurite restarted from an older save.</summary>
    public void RollBack(object saved) => _inner.RollBack(saved);

    public void Tamper(GrainId grain, string stream, long sequence, string json)
    {
        lock (_gate)
        {
            _tampered[(grain, stream, sequence)] = json;
        }
    }

    public Task<StoredState?> ReadStateAsync(GrainId grainId, string stateName, CancellationToken cancellationToken) =>
        _inner.ReadStateAsync(grainId, stateName, cancellationToken);

    private TaskCompletionSource _writeGate = CompletedGate();
    private GrainId? _paused;

    /// <summary>Writes of <paramref name="grain"/> from now on wait until <see cref="ResumeWrites"/>, as a slow storage round trip would.</summary>
    public void PauseWrites(GrainId grain)
    {
        lock (_gate)
        {
            _paused = grain;
            _writeGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void ResumeWrites()
    {
        lock (_gate)
        {
            _writeGate.TrySetResult();
        }
    }

    /// <summary>A storage round trip (Azurite takes a few milliseconds per batch).</summary>
    public TimeSpan WriteLatency { get; set; }

    public int WaitingWrites => Volatile.Read(ref _waitingWrites);

    private int _waitingWrites;

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }

    public async Task<string> WriteStateAsync(GrainId grainId, string stateName, string json, string? expectedETag, IReadOnlyList<LogEntry> appends, CancellationToken cancellationToken)
    {
        // Real storage never completes synchronously; neither does this, so group commit can batch.
        await Task.Yield();
        if (WriteLatency > TimeSpan.Zero)
        {
            await Task.Delay(WriteLatency, cancellationToken);
        }
        Task gate;
        lock (_gate)
        {
            gate = _paused == grainId ? _writeGate.Task : Task.CompletedTask;
        }
        Interlocked.Increment(ref _waitingWrites);
        await gate.WaitAsync(Timeouts.Call, cancellationToken);
        Interlocked.Decrement(ref _waitingWrites);
        lock (_gate)
        {
            _writes[grainId] = _writes.GetValueOrDefault(grainId) + 1;
            if (_failWrites.GetValueOrDefault(grainId) > 0)
            {
                _failWrites[grainId]--;
                throw new IOException("Simulated storage outage.");
            }
        }
        var etag = await _inner.WriteStateAsync(grainId, stateName, json, expectedETag, appends, cancellationToken);
        lock (_gate)
        {
            if (_loseAnswers.GetValueOrDefault(grainId) > 0)
            {
                _loseAnswers[grainId]--;
                throw new TimeoutException("Simulated lost response: the write committed.");
            }
        }
        return etag;
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
