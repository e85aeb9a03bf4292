using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AscCollab.Server.Tests;

public sealed class IdleHeapCompactorTests
{
    private const long MB = 1024 * 1024;

    private static MemoryOptions Settings(bool enabled = true, int growth = 32, int quiet = 4) =>
        new() { IdleCompaction = enabled, CheckInterval = TimeSpan.FromSeconds(5), GrowthMegabytes = growth, QuietMegabytesPerSecond = quiet };

    [Theory]
    // growth MB, allocated MB in the 5 s interval, enabled → compact?
    [InlineData(40, 10, true, true)]      // grown 40 MB, 2 MB/s: quiet after a burst
    [InlineData(31, 10, true, false)]     // not grown enough
    [InlineData(40, 21, true, false)]     // still busy: 4.2 MB/s
    [InlineData(40, 20, true, true)]      // exactly at the quiet rate
    [InlineData(400, 0, false, false)]    // switched off
    public void It_compacts_only_when_the_heap_grew_and_the_server_went_quiet(long growthMb, long allocatedMb, bool enabled, bool compact) =>
        Assert.Equal(compact, IdleHeapCompactor.ShouldCompact(Settings(enabled), growthMb * MB, allocatedMb * MB));

    [Fact]
    public void After_a_burst_it_runs_one_full_compacting_collection_and_not_again_until_the_heap_grows_anew()
    {
        var compactor = new IdleHeapCompactor(new StaticOptions(Settings()), TimeProvider.System, NullLogger<IdleHeapCompactor>.Instance);
        var settings = Settings();

        // Start-up: the first look has no rate yet, the second is busy; nothing happens.
        Assert.False(compactor.Check(settings, committed: 100 * MB, allocated: 0));
        Assert.False(compactor.Check(settings, committed: 200 * MB, allocated: 500 * MB));
        // The first quiet look: what start-up left (the whole heap counts as growth) is handed back.
        var fullCollections = GC.CollectionCount(GC.MaxGeneration);
        Assert.True(compactor.Check(settings, committed: 200 * MB, allocated: 501 * MB));
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > fullCollections);
        Assert.Equal(1, compactor.Compactions);

        // The baseline is now what the collection left: quiet looks at that size do nothing.
        var after = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var allocated = GC.GetTotalAllocatedBytes();
        Assert.False(compactor.Check(settings, committed: after, allocated: allocated));
        Assert.False(compactor.Check(settings, committed: after + (8 * MB), allocated: allocated + MB));
        Assert.Equal(1, compactor.Compactions);

        // A burst grows the heap 40 MB above that, then the server goes quiet: one more compaction.
        Assert.False(compactor.Check(settings, committed: after + (40 * MB), allocated: allocated + (400 * MB)));
        Assert.True(compactor.Check(settings, committed: after + (40 * MB), allocated: allocated + (401 * MB)));
        Assert.Equal(2, compactor.Compactions);
    }

    [Fact]
    public void Settings_out_of_range_are_refused()
    {
        var validator = new MemoryOptionsValidator();
        Assert.True(validator.Validate(null, Settings()).Succeeded);
        Assert.True(validator.Validate(null, new MemoryOptions { CheckInterval = TimeSpan.FromMilliseconds(10) }).Failed);
        Assert.True(validator.Validate(null, new MemoryOptions { GrowthMegabytes = 0 }).Failed);
        Assert.True(validator.Validate(null, new MemoryOptions { QuietMegabytesPerSecond = -1 }).Failed);
    }

    private sealed class StaticOptions(MemoryOptions value) : IOptionsMonitor<MemoryOptions>
    {
        public MemoryOptions CurrentValue => value;

        public MemoryOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<MemoryOptions, string?> listener) => null;
    }
}
