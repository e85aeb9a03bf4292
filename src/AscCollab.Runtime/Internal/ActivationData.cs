namespace AscCollab.Runtime;

internal enum EnqueueResult
{
    Accepted,
    Overloaded,

    /// <summary>This activation is finished and about to leave the directory: look the key up again.</summary>
    Deactivating,
}

/// <summary>
/// One activation: the grain instance, its exclusive scheduler and its message loop.
/// Grain code only ever runs on <see cref="_scheduler"/>, so two pieces of it never run at once;
/// the loop below decides which calls may start (interleave) and when.
/// </summary>
internal sealed class ActivationData : IGrainContext
{
    private enum Phase { Created, Activating, Valid, Deactivating, Invalid }

    private readonly Lock _gate = new();
    private readonly LinkedList<GrainCall> _waiting = new();
    private readonly Catalog _catalog;
    private readonly GrainClass _grainClass;
    private readonly TaskScheduler _scheduler = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Phase _phase = Phase.Created;
    private int _running;
    private int _waitingInterleaving;
    private DeactivationReason? _deactivation;
    private DateTimeOffset _idleSince;
    private Grain? _grain;

    public ActivationData(GrainId grainId, GrainClass grainClass, Catalog catalog)
    {
        GrainId = grainId;
        _grainClass = grainClass;
        _catalog = catalog;
        _idleSince = catalog.Time.GetUtcNow();
    }

    public GrainId GrainId { get; }

    public GrainClass GrainClass => _grainClass;

    public IGrainFactory GrainFactory => _catalog.GrainFactory;

    /// <summary>Completes once this activation is gone from the directory.</summary>
    public Task Deactivated => _deactivated.Task;

    public int QueueLength
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Starts activation as the first turn. Called once, by the catalog, after this instance won the directory slot.</summary>
    public void Start()
    {
        lock (_gate)
        {
            _phase = Phase.Activating;
        }

        _ = RunTurn(ActivateAsync);
    }

    public EnqueueResult TryEnqueue(GrainCall call)
    {
        List<GrainCall>? runnable;
        lock (_gate)
        {
            // While deactivating, calls still queue here (they do not start) and move to the next
            // activation together, in arrival order. Only a finished activation turns them away.
            if (_phase == Phase.Invalid)
            {
                return EnqueueResult.Deactivating;
            }

            if (_waiting.Count >= _catalog.Options.MaxQueueLength)
            {
                return EnqueueResult.Overloaded;
            }

            _waiting.AddLast(call);
            if (call.Method.AlwaysInterleave)
            {
                _waitingInterleaving++;
            }

            runnable = TakeRunnable();
        }

        StartCalls(runnable);
        return EnqueueResult.Accepted;
    }

    /// <summary>Deactivates as soon as no call is running; calls still queued then move to the next activation.</summary>
    public void RequestDeactivation(DeactivationReason reason)
    {
        bool start;
        lock (_gate)
        {
            if (_phase is Phase.Deactivating or Phase.Invalid)
            {
                return;
            }

            _deactivation ??= reason;
            start = BeginDeactivationIfIdle();
        }

        if (start)
        {
            _ = RunTurn(DeactivateAsync);
        }
    }

    /// <summary>Deactivates when nothing ran or waited since <paramref name="idleBefore"/>; false if busy or recently used.</summary>
    public bool TryCollect(DateTimeOffset idleBefore)
    {
        lock (_gate)
        {
            if (_phase != Phase.Valid || _running > 0 || _waiting.Count > 0 || _deactivation is not null || _idleSince > idleBefore)
            {
                return false;
            }

            _deactivation = DeactivationReason.IdleCollection;
            _phase = Phase.Deactivating;
        }

        _ = RunTurn(DeactivateAsync);
        return true;
    }

    public void Publish<TEvent>(TEvent evt) where TEvent : notnull => _catalog.Events.Publish(new GrainEvent(GrainId, evt));

    public Task RegisterOrUpdateReminderAsync(string name, TimeSpan dueTime, TimeSpan? period)
    {
        if (!_grainClass.IsRemindable)
        {
            throw new InvalidOperationException($"Grain class {_grainClass.Type.Name} registers a reminder but does not implement IRemindable.");
        }

        return _catalog.Reminders.RegisterOrUpdateAsync(GrainId, name, dueTime, period);
    }

    public Task UnregisterReminderAsync(string name) => _catalog.Reminders.UnregisterAsync(GrainId, name);

    public void DeactivateOnIdle() => RequestDeactivation(DeactivationReason.RequestedByGrain);

    private Task RunTurn(Func<Task> turn) =>
        Task.Factory.StartNew(turn, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap();

    private async Task ActivateAsync()
    {
        RuntimeContext.Current = this;
        try
        {
            var (grain, states) = _catalog.Activator.Create(_grainClass, this);
            grain.Attach(this);
            foreach (var state in states)
            {
                await state.ReadStateAsync();
            }

            using (var timeout = new CancellationTokenSource(_catalog.Options.CallTimeout))
            {
                await grain.OnActivateAsync(timeout.Token);
            }

            _grain = grain;
        }
        catch (Exception ex)
        {
            RuntimeLog.ActivationFailed(_catalog.Logger, ex, GrainId);
            List<GrainCall> failed;
            lock (_gate)
            {
                _phase = Phase.Invalid;
                failed = [.. _waiting];
                _waiting.Clear();
            }

            _catalog.OnDeactivated(this, []);
            _deactivated.TrySetResult();
            foreach (var call in failed)
            {
                call.Fail(ex);
            }

            return;
        }

        RuntimeLog.Activated(_catalog.Logger, GrainId);
        List<GrainCall>? runnable;
        bool deactivate;
        lock (_gate)
        {
            _phase = Phase.Valid;
            deactivate = BeginDeactivationIfIdle();
            runnable = deactivate ? null : TakeRunnable();
        }

        StartCalls(runnable);
        if (deactivate)
        {
            await DeactivateAsync();
        }
    }

    private async Task DeactivateAsync()
    {
        RuntimeContext.Current = this;
        var reason = _deactivation!.Value;
        try
        {
            using var timeout = new CancellationTokenSource(_catalog.Options.CallTimeout);
            await _grain!.OnDeactivateAsync(reason, timeout.Token);
        }
        catch (Exception ex)
        {
            RuntimeLog.DeactivationHookFailed(_catalog.Logger, ex, GrainId, reason);
        }

        List<GrainCall> leftovers;
        lock (_gate)
        {
            _phase = Phase.Invalid;
            leftovers = [.. _waiting];
            _waiting.Clear();
        }

        // Callers spin while this activation is Invalid but still in the directory: hand the slot on first.
        _catalog.OnDeactivated(this, leftovers);
        _deactivated.TrySetResult();
        RuntimeLog.Deactivated(_catalog.Logger, GrainId, reason);
    }

    private async Task InvokeAsync(GrainCall call)
    {
        RuntimeContext.Current = this;
        try
        {
            call.Complete(await call.Method.InvokeAsync(_grain!, call.Arguments));
        }
        catch (Exception ex)
        {
            if (ex is InconsistentStateException)
            {
                // The in-memory state no longer matches storage; the next activation reads it afresh.
                // Marked before the caller hears of it, so its retry already goes to the next activation.
                RuntimeLog.InconsistentState(_catalog.Logger, GrainId, call.Method.Name);
                RequestDeactivation(DeactivationReason.InconsistentState);
            }

            if (call.Method.IsOneWay)
            {
                RuntimeLog.OneWayCallFailed(_catalog.Logger, ex, GrainId, call.Method.Name);
            }
            else
            {
                RuntimeLog.CallFailed(_catalog.Logger, ex, GrainId, call.Method.Name);
            }

            call.Fail(ex);
        }
        finally
        {
            _catalog.Metrics.CallCompleted(_grainClass.TypeName, call.StartedAt);
            OnCallCompleted();
        }
    }

    private void OnCallCompleted()
    {
        List<GrainCall>? runnable = null;
        bool deactivate;
        lock (_gate)
        {
            _running--;
            _idleSince = _catalog.Time.GetUtcNow();
            deactivate = BeginDeactivationIfIdle();
            if (!deactivate)
            {
                runnable = TakeRunnable();
            }
        }

        StartCalls(runnable);
        if (deactivate)
        {
            _ = RunTurn(DeactivateAsync);
        }
    }

    /// <summary>Under the lock: moves a pending deactivation to Deactivating once no call runs.</summary>
    private bool BeginDeactivationIfIdle()
    {
        if (_deactivation is null || _phase != Phase.Valid || _running > 0)
        {
            return false;
        }

        _phase = Phase.Deactivating;
        return true;
    }

    /// <summary>
    /// Under the lock: the waiting calls that may start now, in arrival order. A call may start when
    /// nothing runs, when the grain is [Reentrant], or when its method is [AlwaysInterleave]; interleaving
    /// calls may pass a blocked one, so a read-only query never waits behind a call that waits on it.
    /// </summary>
    private List<GrainCall>? TakeRunnable()
    {
        if (_phase != Phase.Valid || _deactivation is not null)
        {
            return null;
        }

        List<GrainCall>? runnable = null;
        for (var node = _waiting.First; node is not null;)
        {
            var next = node.Next;
            var call = node.Value;
            if (_running == 0 || _grainClass.IsReentrant || call.Method.AlwaysInterleave)
            {
                _waiting.Remove(node);
                if (call.Method.AlwaysInterleave)
                {
                    _waitingInterleaving--;
                }

                _running++;
                (runnable ??= []).Add(call);
            }
            else if (_waitingInterleaving == 0)
            {
                break;
            }

            node = next;
        }

        return runnable;
    }

    private void StartCalls(List<GrainCall>? calls)
    {
        if (calls is null)
        {
            return;
        }

        foreach (var call in calls)
        {
            _ = RunTurn(() => InvokeAsync(call));
        }
    }
}
