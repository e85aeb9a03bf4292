using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AscCollab.Runtime;

/// <summary>
/// Keeps a timer per row of the reminder table and delivers due reminders through the normal call path
/// (IRemindable.ReceiveReminder). The table is the truth: rows are read at start and every
/// ReminderRefreshInterval; one-shot rows are removed only after a successful delivery (at least once).
/// </summary>
internal sealed class ReminderService : IDisposable
{
    // ITimer due times are capped near 49 days; far deadlines re-arm until they are near.
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromDays(1);
    private static readonly TimeSpan EarlyFireTolerance = TimeSpan.FromMilliseconds(10);
    private static readonly GrainMethod ReceiveReminder =
        GrainInterfaceInfo.Get(typeof(IRemindable))[typeof(IRemindable).GetMethod(nameof(IRemindable.ReceiveReminder))!];

    private readonly IReminderTable? _table;
    private readonly Catalog _catalog;
    private readonly GrainRuntimeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<(GrainId Grain, string Name), ScheduledReminder> _scheduled = [];

    // Serialises table writes with the refresh's read-and-reconcile, so neither undoes the other.
    private readonly SemaphoreSlim _tableGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, bool> _deliveries = new();
    private Task? _refreshLoop;
    private volatile bool _disposed;

    public ReminderService(IServiceProvider services, Catalog catalog, IOptions<GrainRuntimeOptions> options, TimeProvider time, ILogger<ReminderService> logger)
    {
        _table = services.GetService<IReminderTable>();
        _catalog = catalog;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    private IReminderTable Table => _table ?? throw new InvalidOperationException(
        "No reminder table is registered; call AddMemoryReminderTable() or AddAzureTableReminderTable() on the grain runtime builder.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_table is null)
        {
            return;
        }

        try
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Storage may come up later; the refresh loop retries rather than failing the host.
            RuntimeLog.ReminderRefreshFailed(_logger, ex);
        }

        _refreshLoop = RefreshLoopAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host may stop the runtime after the container already disposed this service
        // (WebApplicationFactory disposing a host whose start failed); nothing is left to stop then.
        if (_disposed)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var reminder in _scheduled.Values)
            {
                reminder.Cancel();
            }

            _scheduled.Clear();
        }

        await Task.WhenAll([_refreshLoop ?? Task.CompletedTask, .. _deliveries.Keys]).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RegisterOrUpdateAsync(GrainId grainId, string name, TimeSpan dueTime, TimeSpan? period)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        if (period is { } p)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(p, TimeSpan.Zero, nameof(period));
        }

        var table = Table;
        var entry = new ReminderEntry(grainId, name, _time.GetUtcNow() + dueTime, period);
        await _tableGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await table.UpsertAsync(entry, CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                ScheduleLocked(entry);
            }
        }
        finally
        {
            _tableGate.Release();
        }
    }

    public async Task UnregisterAsync(GrainId grainId, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var table = Table;
        await _tableGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await table.RemoveAsync(grainId, name, CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                CancelLocked((grainId, name));
            }
        }
        finally
        {
            _tableGate.Release();
        }
    }

    /// <summary>Makes the local schedule match the table: new and changed rows are (re)scheduled, missing ones dropped.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _tableGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var rows = await Table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                var keys = new HashSet<(GrainId, string)>();
                foreach (var row in rows)
                {
                    keys.Add((row.GrainId, row.Name));
                    if (!_scheduled.TryGetValue((row.GrainId, row.Name), out var current) ||
                        current.Entry.StartAt != row.StartAt || current.Entry.Period != row.Period)
                    {
                        ScheduleLocked(row);
                    }
                }

                foreach (var gone in _scheduled.Keys.Where(k => !keys.Contains(k)).ToList())
                {
                    CancelLocked(gone);
                }

                RuntimeLog.RemindersLoaded(_logger, _scheduled.Count);
            }
        }
        finally
        {
            _tableGate.Release();
        }
    }

    private async Task RefreshLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_options.ReminderRefreshInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await RefreshAsync(stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    RuntimeLog.ReminderRefreshFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private void ScheduleLocked(ReminderEntry entry)
    {
        CancelLocked((entry.GrainId, entry.Name));
        var reminder = new ScheduledReminder(entry, entry.StartAt);
        _scheduled[(entry.GrainId, entry.Name)] = reminder;
        ArmLocked(reminder);
    }

    private void CancelLocked((GrainId, string) key)
    {
        if (_scheduled.Remove(key, out var reminder))
        {
            reminder.Cancel();
        }
    }

    /// <summary>An overdue reminder (found at start, or missed while down) gets delay zero: it fires promptly.</summary>
    private void ArmLocked(ScheduledReminder reminder)
    {
        var delay = reminder.NextDue - _time.GetUtcNow();
        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxTimerDelay ? MaxTimerDelay : delay;
        reminder.Timer ??= _time.CreateTimer(OnTimer, reminder, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        reminder.Timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer(object? state)
    {
        var reminder = (ScheduledReminder)state!;
        lock (_gate)
        {
            if (reminder.Cancelled || _stopping.IsCancellationRequested)
            {
                return;
            }

            if (reminder.NextDue - _time.GetUtcNow() > EarlyFireTolerance)
            {
                ArmLocked(reminder);
                return;
            }
        }

        var delivery = DeliverAsync(reminder);
        _deliveries.TryAdd(delivery, true);
        delivery.ContinueWith(t => _deliveries.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task DeliverAsync(ScheduledReminder reminder)
    {
        var entry = reminder.Entry;
        var delivered = false;
        try
        {
            var status = new TickStatus(entry.StartAt, entry.Period, reminder.NextDue);
            await _catalog.InvokeAsync(entry.GrainId, ReceiveReminder, [entry.Name, status]).ConfigureAwait(false);
            delivered = true;
        }
        catch (Exception ex)
        {
            RuntimeLog.ReminderDeliveryFailed(_logger, ex, entry.GrainId, entry.Name);
        }

        if (entry.Period is { } period || !delivered)
        {
            lock (_gate)
            {
                if (!reminder.Cancelled && !_stopping.IsCancellationRequested)
                {
                    // A failed one-shot is retried; a periodic one moves to its next tick either way.
                    reminder.NextDue = entry.Period is { } p ? NextTick(entry.StartAt, p, _time.GetUtcNow()) : _time.GetUtcNow() + _options.ReminderRefreshInterval;
                    ArmLocked(reminder);
                }
            }

            return;
        }

        await RemoveDeliveredAsync(reminder).ConfigureAwait(false);
    }

    /// <summary>Removes a delivered one-shot row, unless the grain registered the name again meanwhile.</summary>
    private async Task RemoveDeliveredAsync(ScheduledReminder reminder)
    {
        var key = (reminder.Entry.GrainId, reminder.Entry.Name);
        await _tableGate.WaitAsync().ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                if (!_scheduled.TryGetValue(key, out var current) || current != reminder)
                {
                    return;
                }
            }

            await Table.RemoveAsync(key.GrainId, key.Name, CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                if (_scheduled.TryGetValue(key, out var current) && current == reminder)
                {
                    CancelLocked(key);
                }
            }
        }
        catch (Exception ex)
        {
            RuntimeLog.ReminderRemoveFailed(_logger, ex, key.GrainId, key.Name);
        }
        finally
        {
            _tableGate.Release();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _stopping.Dispose();
        _tableGate.Dispose();
    }

    private static DateTimeOffset NextTick(DateTimeOffset start, TimeSpan period, DateTimeOffset now) =>
        now < start ? start : start + TimeSpan.FromTicks(period.Ticks * (((now - start).Ticks / period.Ticks) + 1));

    private sealed class ScheduledReminder(ReminderEntry entry, DateTimeOffset nextDue)
    {
        public ReminderEntry Entry { get; } = entry;
        public DateTimeOffset NextDue { get; set; } = nextDue;
        public ITimer? Timer { get; set; }
        public bool Cancelled { get; private set; }

        public void Cancel()
        {
            Cancelled = true;
            Timer?.Dispose();
        }
    }
}
