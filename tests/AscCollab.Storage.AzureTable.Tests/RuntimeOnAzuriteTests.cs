using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AscCollab.Storage.AzureTable.Tests;

/// <summary>The grain runtime's durability promises, on real Azure tables (Azurite) and real hosts.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class RuntimeOnAzuriteTests(AzuriteFixture azurite)
{
    private readonly string _prefix = AzuriteFixture.NewTablePrefix();

    private IHost BuildHost(FiredReminders? fired = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(fired ?? new FiredReminders());
        builder.Services.AddGrainRuntime(o => o.ReminderRefreshInterval = TimeSpan.FromMilliseconds(200))
            .AddGrain<ICounterGrain, CounterGrain>()
            .AddGrain<IAlarmGrain, AlarmGrain>()
            .AddAzureTableGrainStorage("main", Configure)
            .AddAzureTableReminderTable(Configure);
        return builder.Build();
    }

    private void Configure(AzureTableStorageOptions options)
    {
        options.ConnectionString = azurite.ConnectionString;
        options.TablePrefix = _prefix;
    }

    private static async Task StopAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        await host.StopAsync(timeout.Token);
        host.Dispose();
    }

    [Fact]
    public async Task State_and_its_log_survive_a_full_host_restart()
    {
        var first = BuildHost();
        await first.StartAsync().WithTimeout();
        var counter = first.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("survivor");
        await counter.Add(2).WithTimeout();
        Assert.Equal(5, await counter.Add(3).WithTimeout());
        await StopAsync(first);

        var second = BuildHost();
        await second.StartAsync().WithTimeout();
        try
        {
            var again = second.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("survivor");
            Assert.Equal(5, await again.Total().WithTimeout());
            Assert.Equal(["2", "3"], await again.History().WithTimeout());
            Assert.Equal(12, await again.Add(7).WithTimeout());
        }
        finally
        {
            await StopAsync(second);
        }

        var stored = await StorageFactory.Grains(StorageFactory.Options(azurite, _prefix)).ReadStateAsync(new GrainId("counter", "survivor"), "tally", default).WithTimeout();
        Assert.Contains("12", stored!.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_write_from_a_second_runtime_is_rejected_not_lost()
    {
        var one = BuildHost();
        var two = BuildHost();
        await one.StartAsync().WithTimeout();
        await two.StartAsync().WithTimeout();
        try
        {
            var inOne = one.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("shared");
            var inTwo = two.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("shared");

            Assert.Equal(1, await inOne.Add(1).WithTimeout());
            Assert.Equal(11, await inTwo.Add(10).WithTimeout());

            // Runtime one still holds total 1 under the old ETag: its write must fail, not overwrite 11.
            await Assert.ThrowsAsync<InconsistentStateException>(() => inOne.Add(5).WithTimeout());
            var storage = StorageFactory.Grains(StorageFactory.Options(azurite, _prefix));
            var stored = await storage.ReadStateAsync(new GrainId("counter", "shared"), "tally", default).WithTimeout();
            Assert.Contains("11", stored!.Json, StringComparison.Ordinal);
            Assert.Equal(["1", "10"], await inTwo.History().WithTimeout());

            // The rejected activation reloads and then builds on the stored 11.
            await TestTimeouts.UntilAsync(async () => await inOne.Total() == 11, "runtime one reloaded the newer state");
            Assert.Equal(16, await inOne.Add(5).WithTimeout());
            Assert.Equal(["1", "10", "5"], await inOne.History().WithTimeout());
        }
        finally
        {
            await StopAsync(two);
            await StopAsync(one);
        }
    }

    [Fact]
    public async Task A_reminder_registered_before_a_restart_fires_after_it()
    {
        // Due well after the first host has stopped, even on a loaded machine: it must fire in the second.
        var firedBefore = new FiredReminders();
        var before = BuildHost(firedBefore);
        await before.StartAsync().WithTimeout();
        await before.Services.GetRequiredService<IGrainFactory>().GetGrain<IAlarmGrain>("a1").Set("deadline", TimeSpan.FromSeconds(5)).WithTimeout();
        await StopAsync(before);
        Assert.Empty(firedBefore.Fired);

        var reminders = StorageFactory.Reminders(StorageFactory.Options(azurite, _prefix));
        Assert.Single(await reminders.ReadAllAsync(default).WithTimeout());

        var firedAfter = new FiredReminders();
        var after = BuildHost(firedAfter);
        await after.StartAsync().WithTimeout();
        try
        {
            await TestTimeouts.UntilAsync(() => Task.FromResult(firedAfter.Fired.Contains(("a1", "deadline"))), "the reminder fired in the restarted host");
            await TestTimeouts.UntilAsync(async () => (await reminders.ReadAllAsync(default)).Count == 0, "the fired one-shot reminder's row is removed");
        }
        finally
        {
            await StopAsync(after);
        }

        Assert.Empty(firedBefore.Fired);
    }

    [Fact]
    public async Task A_host_with_a_missing_connection_string_does_not_start()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddGrainRuntime()
            .AddGrain<ICounterGrain, CounterGrain>()
            .AddAzureTableGrainStorage("main");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync().WithTimeout());
        Assert.Contains("ConnectionString is not set", error.Message, StringComparison.Ordinal);
    }
}
