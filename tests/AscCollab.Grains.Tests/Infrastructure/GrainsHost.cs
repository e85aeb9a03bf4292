using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Core.Internal;
using Orleans.Hosting;
using Orleans.Reminders;
using Orleans.Storage;
using Orleans.TestingHost;

namespace AscCollab.Grains.Tests;

/// <summary>
/// An in-process Orleans test cluster with the AscCollab grains over one test's storage account
/// (<see cref="TestStorage"/>): two hosts over the same storage model a restart, two silos a cluster.
/// The grains' business clock and the reminders run on <see cref="ManualTime"/>; Orleans' own
/// machinery (messaging, membership, directory, activation collection) stays on real time.
/// Every event the grains publish reaches <see cref="Events"/> through a client-side observer
/// subscribed to the live feed and, via <see cref="Drafts.Create"/>, to each proposal.
/// </summary>
internal sealed class GrainsHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>MY holds the chair until 1 July 2026, then TH.</summary>
    public static readonly DateTimeOffset Handover = new(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly EventCollector _collector;

    private GrainsHost(InProcessTestCluster cluster, ManualTime time, TestStorage storage, CapturedLogs logs, EditArrivals arrivals, EventCollector collector, ILiveObserver observer)
    {
        Arrivals = arrivals;
        Cluster = cluster;
        Time = time;
        Storage = storage;
        Logs = logs;
        _collector = collector;
        Observer = observer;
    }

    public InProcessTestCluster Cluster { get; }
    public EditArrivals Arrivals { get; }
    public CapturedLogs Logs { get; }
    public ManualTime Time { get; }
    public TestStorage Storage { get; }
    public IClusterClient Client => Cluster.Client;
    public IGrainFactory Factory => Cluster.Client;

    /// <summary>The first silo's services (options, roster, chairmanship as the grains see them).</summary>
    public IServiceProvider Services => Cluster.Silos[0].SiloHost.Services;

    /// <summary>This host's observer, as a grain reference (subscribed to the feed, watching proposals created through <see cref="Drafts"/>).</summary>
    public ILiveObserver Observer { get; }

    public ConcurrentQueue<object> Events => _collector.Events;

    public static async Task<GrainsHost> StartAsync(
        ManualTime? time = null,
        TestStorage? storage = null,
        IDictionary<string, string?>? configuration = null,
        Action<AscCollabOptions>? configure = null,
        short silos = 1,
        Action<ISiloBuilder>? storageOverride = null)
    {
        time ??= new ManualTime(Start);
        storage ??= new TestStorage();
        var logs = new CapturedLogs();
        var arrivals = new EditArrivals();
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        // As the server's: Orleans keys plain state rows by ServiceId, so a restarted cluster must keep it
        // (the test cluster would draw a new one). The ClusterId stays per cluster.
        builder.Options.ServiceId = "asccollab";
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AscCollab:Chairmanship:0:Member"] = "MY",
                ["AscCollab:Chairmanship:0:From"] = "2026-01-01T00:00:00Z",
                ["AscCollab:Chairmanship:0:To"] = Handover.ToString("O"),
                ["AscCollab:Chairmanship:1:Member"] = "TH",
                ["AscCollab:Chairmanship:1:From"] = Handover.ToString("O"),
                ["AscCollab:Chairmanship:1:To"] = "2027-01-01T00:00:00Z",
                // Longer than any test: the observer is subscribed once and never renewed.
                ["AscCollab:Live:SubscriptionExpiry"] = "01:00:00",
            });
            if (configuration?.Keys.Any(k => k.StartsWith("AscCollab:Integrity:AuditKeys", StringComparison.Ordinal)) is not true)
            {
                host.Configuration.AddInMemoryCollection(TestKeys.Configuration);
            }
            if (configuration is not null)
            {
                host.Configuration.AddInMemoryCollection(configuration);
            }
            host.Logging.AddProvider(logs);
        });
        builder.ConfigureSilo((_, silo) =>
        {
            ConfigureSilo(silo, time, storage, configure);
            storageOverride?.Invoke(silo);
            arrivals.Register(silo);
        });
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync().WaitAsync(Timeouts.Start);
            var collector = new EventCollector();
            var observer = cluster.Client.CreateObjectReference<ILiveObserver>(collector);
            await cluster.Client.GetGrain<ILiveFeedGrain>(ILiveFeedGrain.Key).Subscribe(observer).Within();
            return new GrainsHost(cluster, time, storage, logs, arrivals, collector, observer);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The silo as the real host configures it, with the test's storage account and clock.</summary>
    internal static void ConfigureSilo(ISiloBuilder silo, ManualTime time, TestStorage storage, Action<AscCollabOptions>? configure)
    {
        var services = silo.Services;
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
        // Orleans resolves its areas' clocks by key: its machinery stays on real time, reminders follow the test's clock.
        services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, TimeProvider.System);
        services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, time);
        services.AddKeyedSingleton<IGrainStorage>(DomainRegistration.StateStorage, storage.Plain);
        services.AddLogStorage(DomainRegistration.ProposalStorage, _ => storage);
        silo.AddReminders();
        services.AddSingleton<IReminderTable>(storage.Reminders);
        silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromMilliseconds(100));
        silo.AddAscCollabGrains(configure);
    }

    public IProposalGrain Proposal(string id) => Factory.GetGrain<IProposalGrain>(id);

    public IAdHocGroupGrain Group(string id) => Factory.GetGrain<IAdHocGroupGrain>(id);

    public IMemberGrain Member(string code) => Factory.GetGrain<IMemberGrain>(code);

    public IProgressGrain Progress => Factory.GetGrain<IProgressGrain>(IProgressGrain.Key);

    /// <summary>Subscribes this host's observer to the proposal's edits (as a node does for its connections).</summary>
    public Task<WatchedProposal> Watch(string id) => Proposal(id).Watch(Observer).Within();

    /// <summary>Deactivates the grain's activation once idle; its next call activates it again from storage.</summary>
    public async Task Deactivate(IAddressable grain)
    {
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle().AsTask().Within();
        var id = grain.GetGrainId();
        await Timeouts.Eventually(() => Task.FromResult(!Cluster.TryGetGrainContext(id, out _)), $"{id} is deactivated");
    }

    public IReadOnlyList<T> EventsOf<T>() => [.. Events.OfType<T>()];

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync().WaitAsync(Timeouts.Start);
        await Cluster.DisposeAsync();
    }

    private sealed class EventCollector : ILiveObserver
    {
        public ConcurrentQueue<object> Events { get; } = new();

        public Task OnEvent(IAudienceEvent evt)
        {
            Events.Enqueue(evt);
            // A batch's edits come as one message: each edit is recorded as well, as a node pushes each.
            foreach (var edit in (evt as EditsCommitted)?.Edits ?? [])
            {
                Events.Enqueue(edit);
            }
            return Task.CompletedTask;
        }
    }
}
