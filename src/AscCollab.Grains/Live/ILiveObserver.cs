using Orleans;
using Orleans.Concurrency;

namespace AscCollab.Grains;

/// <summary>
/// One server node's receiver of grain events (a grain observer). Each node subscribes it to the
/// live feed (every event but edits) and to the proposals its connections have open (edits and
/// presence); it pushes to the node's own connections by audience. Subscriptions are weak and live
/// in the observed grain's memory: nodes renew them periodically and after a failure.
/// </summary>
[Alias("AscCollab.ILiveObserver")]
public interface ILiveObserver : IGrainObserver
{
    /// <summary>An event for the node's connections, routed by its audience.</summary>
    [OneWay]
    Task OnEvent(IAudienceEvent evt);
}

/// <summary>
/// The cluster-wide feed (single key <see cref="Key"/>): grains publish workflow, to-do, group and
/// dashboard events to it, and it forwards them to every subscribed node.
/// </summary>
[Alias("AscCollab.ILiveFeedGrain")]
public interface ILiveFeedGrain : IGrainWithStringKey
{
    public const string Key = "asc";

    /// <summary>Subscribes (or renews) a node; it expires unless renewed within the feed's expiry.</summary>
    [AlwaysInterleave]
    Task Subscribe(ILiveObserver node);

    [AlwaysInterleave]
    Task Unsubscribe(ILiveObserver node);

    /// <summary>Forwards to every subscribed node, in the order received.</summary>
    [OneWay]
    Task Publish(IAudienceEvent evt);
}
