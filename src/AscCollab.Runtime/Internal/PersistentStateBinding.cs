using System.Diagnostics;
using System.Text.Json;

namespace AscCollab.Runtime;

/// <summary>Non-generic view of a grain's state, so the activation can read every state before OnActivateAsync.</summary>
internal interface IStateBinding
{
    Task ReadStateAsync();
}

internal static class PersistentStateBinding
{
    /// <summary>T for IPersistentState&lt;T&gt; / ILoggedState&lt;T&gt;, otherwise null.</summary>
    public static Type? StateTypeOf(Type parameterType) =>
        parameterType.IsGenericType &&
        (parameterType.GetGenericTypeDefinition() == typeof(IPersistentState<>) || parameterType.GetGenericTypeDefinition() == typeof(ILoggedState<>))
            ? parameterType.GetGenericArguments()[0]
            : null;

    public static IStateBinding Create(Type stateType, GrainId grainId, string stateName, IGrainStorage storage, RuntimeMetrics? metrics) =>
        (IStateBinding)Activator.CreateInstance(typeof(PersistentStateBinding<>).MakeGenericType(stateType), grainId, stateName, storage, metrics)!;
}

/// <summary>One named state of one grain, bound to its storage provider. Serialised with <see cref="GrainJson.Options"/>.</summary>
internal sealed class PersistentStateBinding<TState>(GrainId grainId, string stateName, IGrainStorage storage, RuntimeMetrics? metrics)
    : ILoggedState<TState>, IStateBinding
    where TState : class, new()
{
    private TState _state = new();

    public TState State
    {
        get => _state;
        set => _state = value ?? throw new ArgumentNullException(nameof(value), "State cannot be null; use ClearStateAsync to remove it.");
    }

    public string? Etag { get; private set; }

    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync()
    {
        var stored = await storage.ReadStateAsync(grainId, stateName, CancellationToken.None);
        if (stored is null)
        {
            (_state, Etag, RecordExists) = (new TState(), null, false);
            return;
        }

        TState? state;
        try
        {
            state = JsonSerializer.Deserialize<TState>(stored.Json, GrainJson.Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"State '{stateName}' of {grainId} is not valid JSON for {typeof(TState).Name}.", ex);
        }

        (_state, Etag, RecordExists) = (state ?? new TState(), stored.ETag, true);
    }

    public Task WriteStateAsync() => WriteStateAsync([]);

    public async Task WriteStateAsync(IReadOnlyList<LogEntry> appends)
    {
        ArgumentNullException.ThrowIfNull(appends);
        var startedAt = Stopwatch.GetTimestamp();
        var json = JsonSerializer.Serialize(_state, GrainJson.Options);
        Etag = await storage.WriteStateAsync(grainId, stateName, json, Etag, appends, CancellationToken.None);
        RecordExists = true;
        metrics?.StateWritten(grainId.Type, appends.Count + 1, startedAt);
    }

    public async Task ClearStateAsync()
    {
        await storage.ClearStateAsync(grainId, stateName, Etag, CancellationToken.None);
        (_state, Etag, RecordExists) = (new TState(), null, false);
    }

    public Task<IReadOnlyList<LogEntry>> ReadLogAsync(string stream, long fromSequence, long toSequence) =>
        storage.ReadLogAsync(grainId, stream, fromSequence, toSequence, CancellationToken.None);
}
