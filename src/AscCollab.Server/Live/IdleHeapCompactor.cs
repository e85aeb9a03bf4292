using System.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AscCollab.Server;

/// <summary>The "Memory" section: when the server hands back the heap a burst left behind.</summary>
internal sealed class MemoryOptions
{
    public const string SectionName = "Memory";

    /// <summary>Compact the heap once the server goes quiet after a burst (see <see cref="IdleHeapCompactor"/>).</summary>
    public bool IdleCompaction { get; set; } = true;

    /// <summary>How often the heap and the allocation rate are looked at.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Committed heap above what it was after the last compaction that makes one worth it.</summary>
    public int GrowthMegabytes { get; set; } = 32;

    /// <summary>Below this allocation rate, over a whole check interval, the server counts as quiet.</summary>
    public int QuietMegabytesPerSecond { get; set; } = 4;
}

internal sealed class MemoryOptionsValidator : IValidateOptions<MemoryOptions>
{
    public ValidateOptionsResult Validate(string? name, MemoryOptions options)
    {
        var failures = new List<string>();
        if (options.CheckInterval < TimeSpan.FromMilliseconds(100) || options.CheckInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{MemoryOptions.SectionName}:CheckInterval must be between 100 ms and 10 minutes.");
        }
        if (options.GrowthMegabytes is < 1 or > 1_000_000 || options.QuietMegabytesPerSecond is < 0 or > 1_000_000)
        {
            failures.Add($"{MemoryOptions.SectionName}:GrowthMegabytes must be at least 1 and QuietMegabytesPerSecond at least 0.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// Hands back to the system the heap a burst left committed, once the burst is over. A wave of
/// delegations joining (3,000 connections, each sent the text and presence) grows the heap, and
/// the GC keeps most of it committed afterwards — free regions kept as budget and garbage in gen2
/// that nothing collects while the server idles: about 13 KiB per idle connection
/// (docs/performance.md). When the committed heap is <see cref="MemoryOptions.GrowthMegabytes"/>
/// above its size after the last compaction and a whole check interval allocated less than
/// <see cref="MemoryOptions.QuietMegabytesPerSecond"/>, this runs one blocking, compacting,
/// aggressive gen2 collection — V8's memory reducer does the same for Node servers. The first quiet
/// look after start-up compacts too (what start-up left counts as growth). It never runs under load
/// (the rate says so), and at most once per growth.
/// </summary>
internal sealed partial class IdleHeapCompactor(IOptionsMonitor<MemoryOptions> options, TimeProvider clock, ILogger<IdleHeapCompactor> logger) : BackgroundService
{
    private long _baseline = -1;
    private long _allocated = -1;

    /// <summary>Compactions run so far.</summary>
    public int Compactions { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var settings = options.CurrentValue;
                await Task.Delay(settings.CheckInterval, clock, stoppingToken);
                Check(settings, GC.GetGCMemoryInfo().TotalCommittedBytes, GC.GetTotalAllocatedBytes(precise: false));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    /// <summary>One look: compacts when <see cref="ShouldCompact"/> says so. True when it did.</summary>
    internal bool Check(MemoryOptions settings, long committed, long allocated)
    {
        var allocatedInInterval = _allocated < 0 ? long.MaxValue : allocated - _allocated;
        _allocated = allocated;
        if (_baseline < 0)
        {
            // Until the first compaction the whole heap counts as growth: start-up (the silo, the
            // JIT) leaves its own garbage, handed back at the first quiet look.
            _baseline = 0;
        }
        if (committed < _baseline)
        {
            // The heap shrank by itself: that is the new baseline.
            _baseline = committed;
            return false;
        }
        if (!ShouldCompact(settings, committed - _baseline, allocatedInInterval))
        {
            return false;
        }
        var started = clock.GetTimestamp();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var took = clock.GetElapsedTime(started).TotalMilliseconds;
        var after = GC.GetGCMemoryInfo().TotalCommittedBytes;
        Compactions++;
        LogCompacted(logger, committed / 1024 / 1024, after / 1024 / 1024, took);
        _baseline = after;
        _allocated = GC.GetTotalAllocatedBytes(precise: false);
        return true;
    }

    /// <summary>Whether the heap grew enough since the last compaction and the last interval was quiet.</summary>
    internal static bool ShouldCompact(MemoryOptions settings, long growthBytes, long allocatedInInterval) =>
        settings.IdleCompaction
        && growthBytes >= settings.GrowthMegabytes * 1024L * 1024
        && allocatedInInterval <= settings.QuietMegabytesPerSecond * 1024L * 1024 * settings.CheckInterval.TotalSeconds;

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Quiet after a burst: the heap was compacted, {BeforeMegabytes} MB committed before, {AfterMegabytes} MB after ({Milliseconds:F0} ms)")]
    private static partial void LogCompacted(ILogger logger, long beforeMegabytes, long afterMegabytes, double milliseconds);
}
