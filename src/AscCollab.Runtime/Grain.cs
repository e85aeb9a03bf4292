namespace AscCollab.Runtime;

/// <summary>Marker for grain interfaces. Every method returns <see cref="Task"/> or <see cref="Task{TResult}"/>.</summary>
public interface IGrain;

/// <summary>A grain addressed by a string key (ISO code, slug, generated id).</summary>
public interface IGrainWithStringKey : IGrain;

/// <summary>The identity of one grain: its type name and key. Storage partitions by it.</summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}|{Key}";
}

/// <summary>Hands out references; calling a method on one activates the grain on first use.</summary>
public interface IGrainFactory
{
    TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey;
}

/// <summary>
/// Base class of grain implementations. The runtime sets the context before
/// <see cref="OnActivateAsync"/>; grain code runs on the activation's own scheduler,
/// one turn at a time, so it must not use <c>ConfigureAwait(false)</c>.
/// </summary>
public abstract class Grain
{
    private IGrainContext? _context;

    internal void Attach(IGrainContext context) => _context = context;

    protected IGrainContext Context => _context ?? throw new InvalidOperationException("The grain is not attached to an activation.");

    /// <summary>This grain's identity.</summary>
    public GrainId GrainId => Context.GrainId;

    /// <summary>This grain's key.</summary>
    public string GrainKey => Context.GrainId.Key;

    protected IGrainFactory GrainFactory => Context.GrainFactory;

    /// <summary>Publishes an event to the host (the Server forwards it to SignalR). Never blocks the turn.</summary>
    protected void Publish<TEvent>(TEvent evt) where TEvent : notnull => Context.Publish(evt);

    protected Task RegisterOrUpdateReminderAsync(string name, TimeSpan dueTime, TimeSpan? period = null) =>
        Context.RegisterOrUpdateReminderAsync(name, dueTime, period);

    protected Task UnregisterReminderAsync(string name) => Context.UnregisterReminderAsync(name);

    /// <summary>Asks the runtime to deactivate this grain once the current turn ends.</summary>
    protected void DeactivateOnIdle() => Context.DeactivateOnIdle();

    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>What the runtime gives an activation: identity, factory, events, reminders.</summary>
public interface IGrainContext
{
    GrainId GrainId { get; }
    IGrainFactory GrainFactory { get; }
    void Publish<TEvent>(TEvent evt) where TEvent : notnull;
    Task RegisterOrUpdateReminderAsync(string name, TimeSpan dueTime, TimeSpan? period);
    Task UnregisterReminderAsync(string name);
    void DeactivateOnIdle();
}

public enum DeactivationReason
{
    IdleCollection,
    RequestedByGrain,
    InconsistentState,
    Shutdown,
}
