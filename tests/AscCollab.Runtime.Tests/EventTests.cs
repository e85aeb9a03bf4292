using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace AscCollab.Runtime.Tests;

public sealed class EventTests
{
    [Fact]
    public async Task Events_reach_subscribers_in_publish_order_and_a_throwing_handler_does_not_stop_the_others()
    {
        await using var runtime = await TestRuntime.StartAsync();
        var stream = runtime.Host.Services.GetRequiredService<IGrainEventStream>();
        var received = new ConcurrentQueue<(GrainId, int, string)>();
        using var failing = stream.Subscribe(_ => throw new InvalidOperationException("handler failure"));
        using var recording = stream.Subscribe(e =>
        {
            var payload = (Numbered)e.Payload;
            received.Enqueue((e.Source, payload.Number, payload.Key));
            return ValueTask.CompletedTask;
        });

        await runtime.Grains.GetGrain<IPublisherGrain>("p").Emit(100).Within();

        await Bounded.Until(() => received.Count == 100, "all events arrived");
        Assert.Equal(Enumerable.Range(0, 100), received.Select(r => r.Item2));
        Assert.All(received, r => Assert.Equal(new GrainId("publisher", "p"), r.Item1));
        Assert.All(received, r => Assert.Equal("p", r.Item3));
    }

    [Fact]
    public async Task A_disposed_subscription_receives_nothing_more()
    {
        await using var runtime = await TestRuntime.StartAsync();
        var stream = runtime.Host.Services.GetRequiredService<IGrainEventStream>();
        var first = 0;
        var second = 0;
        var subscription = stream.Subscribe(_ => { Interlocked.Increment(ref first); return ValueTask.CompletedTask; });
        using var other = stream.Subscribe(_ => { Interlocked.Increment(ref second); return ValueTask.CompletedTask; });
        await runtime.Grains.GetGrain<IPublisherGrain>("p").Emit(1).Within();
        await Bounded.Until(() => Volatile.Read(ref second) == 1, "the first event arrived");

        subscription.Dispose();
        await runtime.Grains.GetGrain<IPublisherGrain>("p").Emit(1).Within();
        await Bounded.Until(() => Volatile.Read(ref second) == 2, "the second event arrived");

        Assert.Equal(1, Volatile.Read(ref first));
    }
}
