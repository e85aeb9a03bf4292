using Microsoft.Extensions.Hosting;

namespace AscCollab.Runtime;

/// <summary>Starts and stops the runtime with the host. Stop order: reminders, collector, calls (drain), events.</summary>
internal sealed class GrainRuntimeHost(
    GrainTypeRegistry registry,
    GrainActivator activator,
    Catalog catalog,
    ActivationCollector collector,
    ReminderService reminders,
    GrainEventBus events) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _collection;
    private readonly Lock _stopGate = new();
    private Task? _stop;
    private volatile bool _disposed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        registry.Freeze();
        foreach (var grainClass in registry.Classes)
        {
            activator.Validate(grainClass);
        }

        events.Start();
        _collection = collector.RunAsync(_stopping.Token);
        await reminders.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // A host may be stopped twice (WebApplicationFactory and the entry point both stop it), or
        // after it was disposed: the first stop does the work, later ones wait for it.
        if (_disposed)
        {
            return Task.CompletedTask;
        }
        lock (_stopGate)
        {
            return _stop ??= StopOnceAsync(cancellationToken);
        }
    }

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await reminders.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Deliveries still running are calls: the catalog's drain below accounts for them.
        }

        if (_collection is not null)
        {
            await _collection.ConfigureAwait(false);
        }

        await catalog.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await events.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Handlers that have not caught up by now lose the remaining events; the host is going away.
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _stopping.Dispose();
    }
}
