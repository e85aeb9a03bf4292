namespace AscCollab.Runtime.Tests;

public sealed class ReminderTests
{
    private static readonly GrainId Key = new("reminder", "r");

    [Fact]
    public async Task A_one_shot_reminder_fires_once_and_its_row_is_removed()
    {
        var table = new MemoryReminderTable();
        await using var runtime = await TestRuntime.StartAsync(reminders: table);
        var grain = runtime.Grains.GetGrain<IReminderGrain>("r");

        await grain.Remind("once", TimeSpan.FromMilliseconds(800), null).Within();
        Assert.Single(await table.ReadAllAsync(default));

        await Bounded.Until(() => runtime.Probe.Ticks.Any(t => t.Name == "once"), "the reminder fired");
        await Bounded.Until(async () => (await table.ReadAllAsync(default)).Count == 0, "the one-shot row is removed");
        await Task.Delay(200);
        Assert.Single(runtime.Probe.Ticks, t => t.Name == "once");
        var tick = runtime.Probe.Ticks.Single().Status;
        Assert.Null(tick.Period);
    }

    [Fact]
    public async Task A_periodic_reminder_repeats_until_unregistered()
    {
        var table = new MemoryReminderTable();
        await using var runtime = await TestRuntime.StartAsync(reminders: table);
        var grain = runtime.Grains.GetGrain<IReminderGrain>("r");

        await grain.Remind("tick", TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50)).Within();
        await Bounded.Until(() => runtime.Probe.Ticks.Count(t => t.Name == "tick") >= 3, "three ticks");
        await grain.Unremind("tick").Within();
        var count = runtime.Probe.Ticks.Count;
        await Task.Delay(200);

        Assert.Equal(count, runtime.Probe.Ticks.Count);
        Assert.Empty(await table.ReadAllAsync(default));
        var times = runtime.Probe.Ticks.Select(t => t.Status.CurrentTickTime).ToList();
        Assert.Equal(times.Order(), times);
    }

    [Fact]
    public async Task A_reminder_registered_in_one_runtime_fires_in_the_next_one_on_the_same_table()
    {
        var table = new MemoryReminderTable();
        await using (var before = await TestRuntime.StartAsync(reminders: table))
        {
            await before.Grains.GetGrain<IReminderGrain>("r").Remind("after-restart", TimeSpan.FromSeconds(2), null).Within();
            await before.StopAsync();
            Assert.Empty(before.Probe.Ticks);
        }

        // A row whose time passed while no runtime was up fires promptly at start.
        await table.UpsertAsync(new ReminderEntry(Key, "overdue", DateTimeOffset.UtcNow.AddMinutes(-5), null), default);
        await using var after = await TestRuntime.StartAsync(reminders: table);

        await Bounded.Until(() => after.Probe.Ticks.Count == 2, "both reminders fired after the restart");
        Assert.Equal(["after-restart", "overdue"], after.Probe.Ticks.Select(t => t.Name).Order());
        await Bounded.Until(async () => (await table.ReadAllAsync(default)).Count == 0, "the rows are removed");
    }

    [Fact]
    public async Task A_reminder_added_to_the_table_by_another_process_is_picked_up_on_refresh()
    {
        var table = new MemoryReminderTable();
        await using var runtime = await TestRuntime.StartAsync(o => o.ReminderRefreshInterval = TimeSpan.FromMilliseconds(50), reminders: table);

        await table.UpsertAsync(new ReminderEntry(Key, "external", DateTimeOffset.UtcNow, null), default);

        await Bounded.Until(() => runtime.Probe.Ticks.Any(t => t.Name == "external"), "the external reminder fired");
    }

    [Fact]
    public async Task Reminder_errors_are_clear()
    {
        await using var runtime = await TestRuntime.StartAsync();

        var notRemindable = await Assert.ThrowsAsync<InvalidOperationException>(() => runtime.Grains.GetGrain<IPublisherGrain>("p").Remind("x").Within());
        Assert.Contains("IRemindable", notRemindable.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            runtime.Grains.GetGrain<IReminderGrain>("r").Remind("x", TimeSpan.FromSeconds(-1), null).Within());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            runtime.Grains.GetGrain<IReminderGrain>("r").Remind("x", TimeSpan.Zero, TimeSpan.Zero).Within());
    }

    [Fact]
    public async Task Registering_without_a_reminder_table_names_the_missing_registration()
    {
        using var host = TestRuntime.Build(grains: g => g.AddGrain<IReminderGrain, ReminderGrain>());
        await host.StartAsync().Within();
        var grains = (IGrainFactory)host.Services.GetService(typeof(IGrainFactory))!;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grains.GetGrain<IReminderGrain>("r").Remind("x", TimeSpan.FromSeconds(1), null).Within());

        Assert.Contains("AddMemoryReminderTable", error.Message, StringComparison.Ordinal);
        await host.StopAsync().Within();
    }
}
