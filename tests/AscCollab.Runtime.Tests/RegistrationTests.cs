using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AscCollab.Runtime.Tests;

public interface IValueTaskGrain : IGrainWithStringKey
{
    ValueTask<int> Get();

    int Count { get; }
}

[GrainType("bad")]
public sealed class ValueTaskGrain : Grain, IValueTaskGrain
{
    public int Count => 0;

    public ValueTask<int> Get() => ValueTask.FromResult(0);
}

public interface IUnnamedGrain : IGrainWithStringKey
{
    Task Ping();
}

public sealed class UnnamedGrain : Grain, IUnnamedGrain
{
    public Task Ping() => Task.CompletedTask;
}

[GrainType("needs-storage")]
public sealed class NeedsStorageGrain([PersistentState("s", "missing-store")] IPersistentState<Tally> state) : Grain, IUnnamedGrain
{
    public Task Ping() => state.WriteStateAsync();
}

[GrainType("counter")]
public sealed class SecondCounterGrain : Grain, IUnnamedGrain
{
    public Task Ping() => Task.CompletedTask;
}

public sealed class RegistrationTests
{
    [Fact]
    public void A_grain_interface_with_a_non_task_method_is_refused_at_registration()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddGrainRuntime().AddGrain<IValueTaskGrain, ValueTaskGrain>());

        Assert.Contains("IValueTaskGrain.Get returns ValueTask`1", error.Message, StringComparison.Ordinal);
        Assert.Contains("get_Count", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_grain_class_without_GrainType_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddGrainRuntime().AddGrain<IUnnamedGrain, UnnamedGrain>());

        Assert.Contains("[GrainType", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(UnnamedGrain), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_classes_with_one_type_name_are_refused()
    {
        var builder = new ServiceCollection().AddGrainRuntime().AddGrain<ICounterGrain, CounterGrain>();

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddGrain<IUnnamedGrain, SecondCounterGrain>());

        Assert.Contains("'counter'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_storage_provider_fails_the_host_start_with_its_name()
    {
        using var host = TestRuntime.Build(grains: g => g.AddGrain<IUnnamedGrain, NeedsStorageGrain>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync().Within());

        Assert.Contains("'missing-store'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddMemoryGrainStorage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_options_fail_the_host_start()
    {
        using var host = TestRuntime.Build(options: o =>
        {
            o.CallTimeout = TimeSpan.Zero;
            o.MaxQueueLength = 0;
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().Within());

        Assert.Contains("CallTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxQueueLength", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_are_bound_from_the_GrainRuntime_configuration_section()
    {
        using var host = TestRuntime.Build(configuration: new Dictionary<string, string?>
        {
            ["GrainRuntime:CallTimeout"] = "00:00:07",
            ["GrainRuntime:MaxQueueLength"] = "42",
        });

        var options = host.Services.GetRequiredService<IOptions<GrainRuntimeOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(7), options.CallTimeout);
        Assert.Equal(42, options.MaxQueueLength);
    }

    [Fact]
    public async Task GetGrain_names_an_unregistered_interface_and_refuses_an_empty_key()
    {
        await using var runtime = await TestRuntime.StartAsync();

        var error = Assert.Throws<InvalidOperationException>(() => runtime.Grains.GetGrain<IUnnamedGrain>("x"));
        Assert.Contains("IUnnamedGrain", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => runtime.Grains.GetGrain<ICounterGrain>(""));
    }

    [Fact]
    public void The_runtime_registers_its_services_once_when_added_twice()
    {
        var services = new ServiceCollection();
        services.AddGrainRuntime().AddGrain<ICounterGrain, CounterGrain>();
        services.AddGrainRuntime().AddGrain<ITurnGrain, TurnGrain>();

        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        Assert.Single(services, d => d.ServiceType == typeof(IGrainFactory));
    }
}

public sealed class LateRegistrationTests
{
    [Fact]
    public async Task Grains_cannot_be_added_after_the_runtime_started()
    {
        IGrainRuntimeBuilder? builder = null;
        using var host = TestRuntime.Build(grains: g => (builder = g).AddGrain<ICounterGrain, CounterGrain>());
        await host.StartAsync().Within();

        var error = Assert.Throws<InvalidOperationException>(() => builder!.AddGrain<ITurnGrain, TurnGrain>());

        Assert.Contains("after the grain runtime has started", error.Message, StringComparison.Ordinal);
        await host.StopAsync().Within();
    }
}
