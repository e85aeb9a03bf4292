using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AscCollab.Runtime;

/// <summary>
/// Routes calls to activations, creating them on first use, and runs shutdown. The single
/// entry point for messages: grain references, reminders and re-routed calls all come through here.
/// </summary>
internal sealed class Catalog
{
    private enum RunPhase { Running, Draining, Stopped }

    private readonly GrainTypeRegistry _registry;
    private readonly ActivationDirectory _directory;
    private readonly IServiceProvider _services;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile RunPhase _phase = RunPhase.Running;
    private int _pendingCalls;

    public Catalog(
        GrainTypeRegistry registry,
        ActivationDirectory directory,
        GrainActivator activator,
        GrainEventBus events,
        RuntimeMetrics metrics,
        IOptions<GrainRuntimeOptions> options,
        TimeProvider time,
        ILogger<Catalog> logger,
        IServiceProvider services)
    {
        _registry = registry;
        _directory = directory;
        _services = services;
        Activator = activator;
        Events = events;
        Metrics = metrics;
        Options = options.Value;
        Time = time;
        Logger = logger;
    }

    public GrainActivator Activator { get; }
    public GrainEventBus Events { get; }
    public RuntimeMetrics Metrics { get; }
    public GrainRuntimeOptions Options { get; }
    public TimeProvider Time { get; }
    public ILogger Logger { get; }

    // Resolved on use: both call back into the catalog, so they cannot be constructor dependencies.
    public IGrainFactory GrainFactory => _services.GetRequiredService<IGrainFactory>();
    public ReminderService Reminders => _services.GetRequiredService<ReminderService>();

    public Task<object?> InvokeAsync(GrainId grainId, GrainMethod method, object?[] arguments)
    {
        var call = new GrainCall(grainId, method, arguments);
        return Accept(call) is { } refused ? Task.FromException<object?>(refused) : AwaitResponseAsync(call);
    }

    /// <summary>Completes once the call is queued; its outcome is only logged.</summary>
    public Task SendOneWay(GrainId grainId, GrainMethod method, object?[] arguments)
    {
        var call = new GrainCall(grainId, method, arguments);
        return Accept(call) is { } refused ? Task.FromException(refused) : Task.CompletedTask;
    }

    /// <summary>Refuses new calls from outside, waits for accepted ones, then deactivates everything (reason Shutdown).</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        _phase = RunPhase.Draining;
        RuntimeLog.ShutdownStarted(Logger, Volatile.Read(ref _pendingCalls), _directory.Count);
        if (Volatile.Read(ref _pendingCalls) == 0)
        {
            _drained.TrySetResult();
        }

        try
        {
            await _drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            RuntimeLog.ShutdownDrainCut(Logger, Volatile.Read(ref _pendingCalls));
        }

        _phase = RunPhase.Stopped;
        var activations = _directory.All.ToList();
        foreach (var activation in activations)
        {
            activation.RequestDeactivation(DeactivationReason.Shutdown);
        }

        try
        {
            await Task.WhenAll(activations.Select(a => a.Deactivated)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            RuntimeLog.ShutdownDeactivationCut(Logger, _directory.Count);
        }

        RuntimeLog.ShutdownCompleted(Logger);
    }

    /// <summary>Called by an activation when it is gone: frees its slot and sends its queued calls to the next one.</summary>
    public void OnDeactivated(ActivationData activation, IReadOnlyList<GrainCall> leftovers)
    {
        var grainType = activation.GrainClass.TypeName;
        if (leftovers.Count > 0 && _phase != RunPhase.Stopped)
        {
            // The next activation takes the slot with the leftovers already queued, so no later call overtakes them.
            var next = new ActivationData(activation.GrainId, activation.GrainClass, this);
            foreach (var call in leftovers)
            {
                next.TryEnqueue(call);
            }

            if (_directory.TryReplace(activation, next))
            {
                Metrics.ActivationRemoved(grainType);
                Metrics.ActivationAdded(grainType);
                next.Start();
                return;
            }
        }

        if (_directory.Remove(activation))
        {
            Metrics.ActivationRemoved(grainType);
        }

        foreach (var call in leftovers)
        {
            Redeliver(call);
        }
    }

    private Exception? Accept(GrainCall call)
    {
        var grainClass = _registry.GetByTypeName(call.GrainId.Type);
        if (!call.Method.Method.DeclaringType!.IsAssignableFrom(grainClass.Type))
        {
            return new InvalidOperationException($"Grain class {grainClass.Type.Name} does not implement {call.Method.Name}.");
        }

        // Counted before the phase check, so shutdown either sees this call in flight or this call sees shutdown.
        Interlocked.Increment(ref _pendingCalls);

        // While draining, calls made by grains finishing their work still go through; calls from outside do not.
        var phase = _phase;
        if (phase == RunPhase.Stopped || (phase == RunPhase.Draining && RuntimeContext.Current is null))
        {
            OnCallFinished();
            return Refused(call);
        }

        call.Response.ContinueWith(_ => OnCallFinished(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Metrics.CallStarted(grainClass.TypeName);
        return Deliver(call, grainClass);
    }

    /// <summary>Queues the call on the key's activation; returns the overload error if it was refused.</summary>
    private GrainOverloadedException? Deliver(GrainCall call, GrainClass grainClass)
    {
        var spinner = default(SpinWait);
        while (true)
        {
            if (!_directory.TryGet(call.GrainId, out var activation))
            {
                var created = new ActivationData(call.GrainId, grainClass, this);
                if (!_directory.TryAdd(created))
                {
                    continue;
                }

                Metrics.ActivationAdded(grainClass.TypeName);
                created.Start();
                activation = created;
            }

            switch (activation.TryEnqueue(call))
            {
                case EnqueueResult.Accepted:
                    return null;
                case EnqueueResult.Overloaded:
                    var overloaded = new GrainOverloadedException(
                        $"Grain {call.GrainId} has {Options.MaxQueueLength} calls queued; {call.Method.Name} was refused (MaxQueueLength).");
                    call.Fail(overloaded);
                    _ = call.Response.Exception; // the caller gets the error from the return value; mark this copy observed
                    return overloaded;
                default:
                    // A finished activation is handing its slot on (OnDeactivated, a few synchronous steps away).
                    // Waiting here, rather than in a continuation, keeps this caller's calls in order.
                    spinner.SpinOnce();
                    break;
            }
        }
    }

    private void Redeliver(GrainCall call)
    {
        if (_phase == RunPhase.Stopped)
        {
            call.Fail(Refused(call));
            return;
        }

        _ = Deliver(call, _registry.GetByTypeName(call.GrainId.Type));
    }

    private void OnCallFinished()
    {
        if (Interlocked.Decrement(ref _pendingCalls) == 0 && _phase != RunPhase.Running)
        {
            _drained.TrySetResult();
        }
    }

    private async Task<object?> AwaitResponseAsync(GrainCall call)
    {
        try
        {
            return await call.Response.WaitAsync(Options.CallTimeout, Time).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!call.Response.IsCompleted)
        {
            RuntimeLog.CallTimedOut(Logger, call.GrainId, call.Method.Name, Options.CallTimeout);
            throw new GrainCallTimeoutException(
                $"Call {call.Method.Name} on grain {call.GrainId} did not complete within {Options.CallTimeout} (CallTimeout). It may still run.");
        }
    }

    private static InvalidOperationException Refused(GrainCall call) =>
        new($"The grain runtime is shutting down; call {call.Method.Name} on grain {call.GrainId} was refused.");
}
