using System.Collections.Concurrent;
using AscCollab.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AscCollab.Grains.Tests;

/// <summary>
/// One process of the application: the grain runtime with the AscCollab grains over a given
/// storage and reminder table. Two hosts over the same storage model a restart or a second node.
/// </summary>
internal sealed class GrainsHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>MY holds the chair until 1 July 2026, then TH.</summary>
    public static readonly DateTimeOffset Handover = new(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly IHost _host;
    private readonly IDisposable _subscription;

    private GrainsHost(IHost host, ManualTime time, TestStorage storage, MemoryReminderTable reminders, CapturedLogs logs)
    {
        Logs = logs;
        _host = host;
        Time = time;
        Storage = storage;
        Reminders = reminders;
        Factory = host.Services.GetRequiredService<IGrainFactory>();
        _subscription = host.Services.GetRequiredService<IGrainEventStream>().Subscribe(e =>
        {
            Events.Enqueue(e.Payload);
            return ValueTask.CompletedTask;
        });
    }

    public CapturedLogs Logs { get; }
    public ManualTime Time { get; }
    public TestStorage Storage { get; }
    public MemoryReminderTable Reminders { get; }
    public IGrainFactory Factory { get; }
    public IServiceProvider Services => _host.Services;
    public ConcurrentQueue<object> Events { get; } = new();

    public static async Task<GrainsHost> StartAsync(
        ManualTime? time = null,
        TestStorage? storage = null,
        MemoryReminderTable? reminders = null,
        IDictionary<string, string?>? configuration = null,
        Action<AscCollabOptions>? configure = null)
    {
        time ??= new ManualTime(Start);
        storage ??= new TestStorage();
        reminders ??= new MemoryReminderTable();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AscCollab:Chairmanship:0:Member"] = "MY",
            ["AscCollab:Chairmanship:0:From"] = "2026-01-01T00:00:00Z",
            ["AscCollab:Chairmanship:0:To"] = Handover.ToString("O"),
            ["AscCollab:Chairmanship:1:Member"] = "TH",
            ["AscCollab:Chairmanship:1:From"] = Handover.ToString("O"),
            ["AscCollab:Chairmanship:1:To"] = "2027-01-01T00:00:00Z",
        });
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }
        var logs = new CapturedLogs();
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddAscCollabDomain(configure);
        var runtime = builder.Services.AddGrainRuntime(o => o.CallTimeout = TimeSpan.FromSeconds(20)).AddAscCollabGrains().AddMemoryReminderTable(reminders);
        runtime.Services.AddKeyedSingleton<IGrainStorage>("store", storage);
        var host = builder.Build();
        await host.StartAsync().WaitAsync(Timeouts.Call);
        return new GrainsHost(host, time, storage, reminders, logs);
    }

    public IProposalGrain Proposal(string id) => Factory.GetGrain<IProposalGrain>(id);

    public IAdHocGroupGrain Group(string id) => Factory.GetGrain<IAdHocGroupGrain>(id);

    public IMemberGrain Member(string code) => Factory.GetGrain<IMemberGrain>(code);

    public IProgressGrain Progress => Factory.GetGrain<IProgressGrain>(IProgressGrain.Key);

    public IReadOnlyList<T> EventsOf<T>() => [.. Events.OfType<T>()];

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await _host.StopAsync().WaitAsync(Timeouts.Call);
        _host.Dispose();
    }
}
