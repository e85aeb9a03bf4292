using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AscCollab.Runtime.Tests;

/// <summary>A real generic host running the grain runtime on the memory providers. One per test (or two, sharing storage).</summary>
internal sealed class TestRuntime : IAsyncDisposable
{
    private bool _stopped;

    private TestRuntime(IHost host) => Host = host;

    public IHost Host { get; }
    public IGrainFactory Grains => Host.Services.GetRequiredService<IGrainFactory>();
    public Probe Probe => Host.Services.GetRequiredService<Probe>();

    public static IHost Build(
        Action<GrainRuntimeOptions>? options = null,
        MemoryGrainStorage? storage = null,
        MemoryReminderTable? reminders = null,
        Action<IGrainRuntimeBuilder>? grains = null,
        IDictionary<string, string?>? configuration = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        builder.Services.AddSingleton<Probe>();
        var runtime = builder.Services.AddGrainRuntime(options ?? (_ => { }));
        if (grains is not null)
        {
            grains(runtime);
        }
        else
        {
            runtime
                .AddGrain<ICounterGrain, CounterGrain>()
                .AddGrain<ITurnGrain, TurnGrain>()
                .AddGrain<IReentrantGrain, ReentrantGrain>()
                .AddGrain<IStateGrain, StateGrain>()
                .AddGrain<IReminderGrain, ReminderGrain>()
                .AddGrain<IPublisherGrain, PublisherGrain>()
                .AddGrain<IInternalGrain, InternalGrain>()
                .AddMemoryGrainStorage("store", storage ?? new MemoryGrainStorage())
                .AddMemoryReminderTable(reminders ?? new MemoryReminderTable());
        }

        return builder.Build();
    }

    public static async Task<TestRuntime> StartAsync(
        Action<GrainRuntimeOptions>? options = null,
        MemoryGrainStorage? storage = null,
        MemoryReminderTable? reminders = null)
    {
        var host = Build(options, storage, reminders);
        await host.StartAsync().Within();
        return new TestRuntime(host);
    }

    public async Task StopAsync()
    {
        _stopped = true;
        using var cts = new CancellationTokenSource(Bounded.Timeout);
        await Host.StopAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync();
        }

        Host.Dispose();
    }
}
