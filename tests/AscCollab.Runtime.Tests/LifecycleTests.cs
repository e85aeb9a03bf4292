namespace AscCollab.Runtime.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task An_idle_activation_is_collected_and_the_next_call_activates_afresh()
    {
        await using var runtime = await TestRuntime.StartAsync(o =>
        {
            o.CollectionAge = TimeSpan.FromMilliseconds(100);
            o.CollectionInterval = TimeSpan.FromMilliseconds(50);
        });
        var grain = runtime.Grains.GetGrain<ICounterGrain>("idle");
        await grain.Increment().Within();

        await Bounded.Until(() => runtime.Probe.Deactivations.Contains(("idle", DeactivationReason.IdleCollection)), "the idle activation was collected");

        Assert.Equal(0, await grain.Get().Within());
        Assert.Equal(2, runtime.Probe.ActivationsOf("idle"));
    }

    [Fact]
    public async Task A_busy_activation_is_not_collected()
    {
        await using var runtime = await TestRuntime.StartAsync(o =>
        {
            o.CollectionAge = TimeSpan.FromMilliseconds(50);
            o.CollectionInterval = TimeSpan.FromMilliseconds(20);
        });
        var grain = runtime.Grains.GetGrain<ITurnGrain>("busy");
        var held = grain.Hold("hold");

        // Several collection rounds pass while the call is running.
        await Task.Delay(300);
        Assert.DoesNotContain(runtime.Probe.Deactivations, d => d.Key == "busy");

        runtime.Probe.Open("hold");
        Assert.Equal(1, await held.Within());
    }

    [Fact]
    public async Task DeactivateOnIdle_deactivates_after_the_turn_and_queued_calls_reach_the_next_activation_only()
    {
        await using var runtime = await TestRuntime.StartAsync();
        var grain = runtime.Grains.GetGrain<ICounterGrain>("retire");
        await grain.Increment().Within();

        var retire = grain.Retire();
        var after = Enumerable.Range(0, 25).Select(_ => grain.Increment()).ToList();

        // More calls keep arriving while OnDeactivateAsync runs (it takes 20 ms): they must wait for it.
        for (var i = 0; i < 25; i++)
        {
            await Task.Delay(2);
            after.Add(grain.Increment());
        }

        await retire.Within();
        var results = await Task.WhenAll(after).Within();

        Assert.Contains(("retire", DeactivationReason.RequestedByGrain), runtime.Probe.Deactivations);
        Assert.Equal(Enumerable.Range(1, 50), results);
        Assert.Equal(2, runtime.Probe.ActivationsOf("retire"));
        Assert.Equal(1, runtime.Probe.MaxLive);
    }

    [Fact]
    public async Task Shutdown_refuses_new_calls_drains_in_flight_ones_then_deactivates_everything()
    {
        var runtime = await TestRuntime.StartAsync();
        var grain = runtime.Grains.GetGrain<ITurnGrain>("drain");
        var inFlight = grain.Hold("drain-gate");
        var queued = grain.Hold("drain-gate");
        await runtime.Grains.GetGrain<ICounterGrain>("other").Increment().Within();

        var stopping = runtime.StopAsync();
        await Bounded.Until(
            async () => (await Record.ExceptionAsync(() => runtime.Grains.GetGrain<ICounterGrain>("new").Get())) is not null,
            "new calls are refused");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Peek().Within());
        Assert.Contains("shutting down", refused.Message, StringComparison.Ordinal);
        Assert.False(stopping.IsCompleted);
        Assert.False(inFlight.IsCompleted);

        runtime.Probe.Open("drain-gate");
        var results = await Task.WhenAll(inFlight, queued).Within();
        Assert.Equal([1, 2], results);
        await stopping.Within();

        Assert.Contains(("drain", DeactivationReason.Shutdown), runtime.Probe.Deactivations);
        Assert.Contains(("other", DeactivationReason.Shutdown), runtime.Probe.Deactivations);
        await runtime.DisposeAsync();
    }

    [Fact]
    public async Task A_failed_activation_fails_its_calls_and_the_next_call_activates_again()
    {
        await using var runtime = await TestRuntime.StartAsync();
        var grain = runtime.Grains.GetGrain<IInternalGrain>("flaky");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Hello().Within());

        Assert.Equal("first activation fails", error.Message);
        Assert.Equal("hello from flaky", await grain.Hello().Within());
        Assert.Equal(new GrainId("internal", "flaky"), grain.GetGrainId());
    }
}
