using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Utilities;

namespace AscCollab.Grains;

/// <summary>Fans grain events out to the nodes. Holds no state: after a failover the nodes' next renewal subscribes them again.</summary>
[GrainType("live-feed")]
internal sealed class LiveFeedGrain(IOptions<AscCollabOptions> options, ILogger<LiveFeedGrain> logger) : Grain, ILiveFeedGrain
{
    private readonly ObserverManager<ILiveObserver> _nodes = new(options.Value.Live.SubscriptionExpiry, logger);

    public Task Subscribe(ILiveObserver node)
    {
        _nodes.Subscribe(node, node);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(ILiveObserver node)
    {
        _nodes.Unsubscribe(node);
        return Task.CompletedTask;
    }

    public Task Publish(IAudienceEvent evt)
    {
        _nodes.Notify(n => n.OnEvent(evt));
        return Task.CompletedTask;
    }
}
