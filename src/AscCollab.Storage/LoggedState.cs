using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace AscCollab.Storage;

/// <summary>Maps <see cref="LoggedStateAttribute"/> constructor parameters to a <see cref="LoggedState{TState}"/> per activation.</summary>
internal sealed class LoggedStateAttributeMapper : IAttributeToFactoryMapper<LoggedStateAttribute>
{
    private static readonly MethodInfo CreateMethod = typeof(LoggedStateAttributeMapper).GetMethod(nameof(Create), BindingFlags.NonPublic | BindingFlags.Static)!;

    public Factory<IGrainContext, object> GetFactory(ParameterInfo parameter, LoggedStateAttribute metadata)
    {
        if (!parameter.ParameterType.IsGenericType || parameter.ParameterType.GetGenericTypeDefinition() != typeof(ILoggedState<>))
        {
            throw new ArgumentException(
                $"Parameter '{parameter.Name}' of {parameter.Member.DeclaringType} has [LoggedState] but its type is {parameter.ParameterType}, not ILoggedState<T>.",
                parameter.Name);
        }
        var create = CreateMethod.MakeGenericMethod(parameter.ParameterType.GetGenericArguments());
        return context => create.Invoke(null, [context, metadata])!;
    }

    private static LoggedState<TState> Create<TState>(IGrainContext context, LoggedStateAttribute metadata) where TState : class, new()
    {
        var storage = context.ActivationServices.GetKeyedService<ILogStorage>(metadata.StorageName)
            ?? throw new BadProviderConfigException($"No log storage named \"{metadata.StorageName}\" is registered (grain type {context.GrainId.Type}).");
        var options = context.ActivationServices.GetRequiredService<LoggedStateJson>();
        return new LoggedState<TState>(context, metadata.StateName, storage, options.Options);
    }
}

/// <summary>The one JSON shape of logged state; a frozen options instance, so every node reads what another wrote.</summary>
public sealed class LoggedStateJson(JsonSerializerOptions options)
{
    public JsonSerializerOptions Options { get; } = options;
}

/// <summary>One logged state of one activation. Read at <see cref="GrainLifecycleStage.SetupState"/>, before OnActivateAsync.</summary>
internal sealed class LoggedState<TState> : ILoggedState<TState>, ILifecycleObserver where TState : class, new()
{
    private readonly GrainId _grainId;
    private readonly string _stateName;
    private readonly ILogStorage _storage;
    private readonly JsonSerializerOptions _json;
    private TState _state = new();

    public LoggedState(IGrainContext context, string stateName, ILogStorage storage, JsonSerializerOptions json)
    {
        (_grainId, _stateName, _storage, _json) = (context.GrainId, stateName, storage, json);
        context.ObservableLifecycle.Subscribe($"LoggedState:{stateName}", GrainLifecycleStage.SetupState, this);
    }

    public TState State
    {
        get => _state;
        set => _state = value ?? throw new ArgumentNullException(nameof(value), "State cannot be null; use ClearStateAsync to remove it.");
    }

    public string? Etag { get; private set; }

    public bool RecordExists { get; private set; }

    public Task OnStart(CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? Task.CompletedTask : ReadStateAsync();

    public Task OnStop(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public async Task ReadStateAsync()
    {
        var stored = await _storage.ReadStateAsync(_grainId, _stateName, CancellationToken.None);
        if (stored is null)
        {
            (_state, Etag, RecordExists) = (new TState(), null, false);
            return;
        }
        (_state, Etag, RecordExists) = (Deserialize(stored.Json), stored.ETag, true);
    }

    public Task WriteStateAsync() => WriteStateAsync([]);

    public async Task WriteStateAsync(IReadOnlyList<LogEntry> appends)
    {
        ArgumentNullException.ThrowIfNull(appends);
        // Straight to UTF-8: the state holds a whole document, and its provider stores UTF-8.
        var json = JsonSerializer.SerializeToUtf8Bytes(_state, _json);
        Etag = await _storage.WriteStateUtf8Async(_grainId, _stateName, json, Etag, appends, CancellationToken.None);
        RecordExists = true;
    }

    public async Task ClearStateAsync()
    {
        await _storage.ClearStateAsync(_grainId, _stateName, Etag, CancellationToken.None);
        (_state, Etag, RecordExists) = (new TState(), null, false);
    }

    public Task<IReadOnlyList<LogEntry>> ReadLogAsync(string stream, long fromSequence, long toSequence) =>
        _storage.ReadLogAsync(_grainId, stream, fromSequence, toSequence, CancellationToken.None);

    private TState Deserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<TState>(json, _json) ?? new TState();
        }
        catch (JsonException ex)
        {
            ThrowUnreadable(ex);
            return null;
        }
    }

    [DoesNotReturn]
    private void ThrowUnreadable(JsonException ex) =>
        throw new InvalidOperationException($"State '{_stateName}' of {_grainId} is not valid JSON for {typeof(TState).Name}.", ex);
}
