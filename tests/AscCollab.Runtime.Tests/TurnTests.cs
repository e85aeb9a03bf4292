namespace AscCollab.Runtime.Tests;

public sealed class TurnTests
{
    [Fact]
    public async Task One_key_has_exactly_one_activation_under_1000_concurrent_calls()
    {
        await using var runtime = await TestRuntime.StartAsync();
        var key = Guid.NewGuid().ToString("N");

        // 50 tasks x 20 calls, started together; Increment reads, yields, then writes, so overlap would lose counts.
        using var start = new ManualResetEventSlim();
        var callers = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            start.Wait(Bounded.Timeout);
            var calls = Enumerable.Range(0, 20).Select(_ => runtime.Grains.GetGrain<ICounterGrain>(key).Increment()).ToList();
            return await Task.WhenAll(calls);
        })).ToList();
        start.Set();
        var results = (await Task.WhenAll(callers).Within()).SelectMany(r => r).ToList();

        Assert.Equal(1, runtime.Probe.ActivationsOf(key));
        Assert.Equal(Enumerable.Range(1, 1000), results.Order());
        Assert.Equal(1000, await runtime.Grains.GetGrain<ICounterGrain>(key).Get().Within());
    }

    [Fact]
    public async Task Calls_start_in_arrival_order_and_never_overlap_in_a_non_reentrant_activation()
    {
        await using var runtime = await TestRuntime.StartAsync();
        var grain = runtime.Grains.GetGrain<ITurnGrain>("fifo");

        var calls = Enumerable.Range(0, 200).Select(grain.Enter).ToList();
        await Task.WhenAll(calls).Within();

        Assert.Equal(Enumerable.Range(0, 200), runtime.Probe.Order);
        Assert.Equal(0, runtime.Probe.Overlaps);
    }

    [Fact]
    public async Task Different_keys_run_in_parallel()
    {
        await using var runtime = await TestRuntime.StartAsync();

        // Each call waits inside its turn until both have entered: only possible if they overlap.
        var a = runtime.Grains.GetGrain<ITurnGrain>("a").Rendezvous("keys", 2, 10_000);
        var b = runtime.Grains.GetGrain<ITurnGrain>("b").Rendezvous("keys", 2, 10_000);

        var results = await Task.WhenAll(a, b).Within();

        Assert.Equal([true, true], results);
    }

    [Fact]
    public async Task Same_key_non_reentrant_calls_do_not_interleave()
    {
        await using var runtime = await TestRuntime.StartAsync();
        var grain = runtime.Grains.GetGrain<ITurnGrain>("one");

        var first = grain.Rendezvous("same", 2, 300);
        var second = grain.Rendezvous("same", 2, 300);

        // The first gives up waiting for a partner that cannot enter; the second then finds the barrier passed.
        Assert.False(await first.Within());
        Assert.True(await second.Within());
    }

    [Fact]
    public async Task Reentrant_grain_calls_interleave()
    {
        await using var runtime = await TestRuntime.StartAsync();
        var grain = runtime.Grains.GetGrain<IReentrantGrain>("r");

        var results = await Task.WhenAll(grain.Rendezvous("re", 2, 10_000), grain.Rendezvous("re", 2, 10_000)).Within();

        Assert.Equal([true, true], results);
    }

    [Fact]
    public async Task AlwaysInterleave_method_runs_while_a_call_is_held_and_passes_queued_calls()
    {
        await using var runtime = await TestRuntime.StartAsync();
        var grain = runtime.Grains.GetGrain<ITurnGrain>("held");

        var held = grain.Hold("gate");
        var queued = grain.Hold("gate");
        var peeked = await grain.Peek().Within();

        Assert.Equal(1, peeked);
        Assert.False(held.IsCompleted);
        runtime.Probe.Open("gate");
        var results = await Task.WhenAll(held, queued).Within();
        Assert.Equal([1, 2], results);
    }

    [Fact]
    public async Task OneWay_completes_when_queued_and_its_failure_does_not_reach_the_caller()
    {
        await using var runtime = await TestRuntime.StartAsync();
        var grain = runtime.Grains.GetGrain<ITurnGrain>("oneway");

        var sent = grain.Notify("later", "hello");
        Assert.True(sent.IsCompletedSuccessfully);
        Assert.Empty(runtime.Probe.Notes);

        runtime.Probe.Open("later");
        await Bounded.Until(() => runtime.Probe.Notes.Contains("hello"), "the one-way call ran");

        await grain.NotifyFail().Within();
        Assert.Equal(0, await grain.Peek().Within());
    }

    [Fact]
    public async Task A_call_that_does_not_complete_in_time_fails_with_a_clear_timeout()
    {
        await using var runtime = await TestRuntime.StartAsync(o => o.CallTimeout = TimeSpan.FromMilliseconds(200));
        var grain = runtime.Grains.GetGrain<ITurnGrain>("slow");

        var error = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => grain.Hold("never").Within());

        Assert.Contains("turn|slow", error.Message, StringComparison.Ordinal);
        Assert.Contains("ITurnGrain.Hold", error.Message, StringComparison.Ordinal);
        runtime.Probe.Open("never");
        Assert.Equal(1, await grain.Peek().Within());
    }

    [Fact]
    public async Task A_full_queue_refuses_the_call_with_GrainOverloadedException()
    {
        await using var runtime = await TestRuntime.StartAsync(o => o.MaxQueueLength = 2);
        var grain = runtime.Grains.GetGrain<ITurnGrain>("busy");

        var running = grain.Hold("busy-gate");
        await Bounded.Until(async () => await grain.Peek() == 1, "the first call is running");
        var waiting = new[] { grain.Hold("busy-gate"), grain.Hold("busy-gate") };

        var error = await Assert.ThrowsAsync<GrainOverloadedException>(() => grain.Hold("busy-gate").Within());
        Assert.Contains("turn|busy", error.Message, StringComparison.Ordinal);

        runtime.Probe.Open("busy-gate");
        await Task.WhenAll([running, .. waiting]).Within();
    }

    [Fact]
    public async Task A_throwing_call_fails_alone_and_the_activation_stays_usable()
    {
        await using var runtime = await TestRuntime.StartAsync();
        var grain = runtime.Grains.GetGrain<ICounterGrain>("sturdy");
        await grain.Increment().Within();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Fail("boom").Within());

        Assert.Equal("boom", error.Message);
        Assert.Equal(2, await grain.Increment().Within());
        Assert.Equal(1, runtime.Probe.ActivationsOf("sturdy"));
    }

    [Fact]
    public async Task A_grain_calls_another_grain_and_back_without_deadlock()
    {
        await using var runtime = await TestRuntime.StartAsync();
        var caller = runtime.Grains.GetGrain<ICounterGrain>("caller");

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => caller.CallOther($"callee-{i % 3}", $"m{i}"))).Within();

        Assert.Equal("caller>callee-0:m0", replies[0]);
        Assert.Equal(20, await caller.Get().Within());
    }
}
