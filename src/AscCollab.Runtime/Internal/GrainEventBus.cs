using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace AscCollab.Runtime;

/// <summary>
/// Carries grain events to host subscribers in publish order, on its own loop: a grain's turn never
/// waits for a handler, and a slow or failing handler never runs on a grain's scheduler.
/// </summary>
internal sealed class GrainEventBus(ILogger<GrainEventBus> logger) : IGrainEventStream
{
    private readonly Channel<GrainEvent> _channel = Channel.CreateUnbounded<GrainEvent>(new UnboundedChannelOptions { SingleReader = true });
    private ImmutableArray<Func<GrainEvent, ValueTask>> _handlers = [];
    private Task? _pump;

    public void Publish(GrainEvent evt)
    {
        if (!_channel.Writer.TryWrite(evt))
        {
            RuntimeLog.EventDropped(logger, evt.Source);
        }
    }

    public IDisposable Subscribe(Func<GrainEvent, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref _handlers, static (list, h) => list.Add(h), handler);
        return new Subscription(this, handler);
    }

    public void Start() => _pump ??= Task.Run(PumpAsync);

    /// <summary>Delivers what was published so far, then stops accepting events.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _channel.Writer.TryComplete();
        if (_pump is not null)
        {
            await _pump.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PumpAsync()
    {
        await foreach (var evt in _channel.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            foreach (var handler in _handlers)
            {
                try
                {
                    await handler(evt).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    RuntimeLog.EventHandlerFailed(logger, ex, evt.Source);
                }
            }
        }
    }

    private sealed class Subscription(GrainEventBus bus, Func<GrainEvent, ValueTask> handler) : IDisposable
    {
        public void Dispose() => ImmutableInterlocked.Update(ref bus._handlers, static (list, h) => list.Remove(h), handler);
    }
}
