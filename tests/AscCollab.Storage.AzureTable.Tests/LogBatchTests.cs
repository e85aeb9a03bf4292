namespace AscCollab.Storage.AzureTable.Tests;

[Collection(AzuriteFixture.Collection)]
public sealed class LogBatchTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly AzureTableLogStorage _storage = StorageFactory.Storage(azurite);

    private static LogEntry[] Ops(long from, int count, string stream = "op") =>
        [.. Enumerable.Range(0, count).Select(i => new LogEntry(stream, from + i, $$"""{"seq":{{from + i}}}"""))];

    [Fact]
    public async Task State_and_log_rows_are_written_together_and_read_by_range()
    {
        var grain = StorageFactory.NewGrain("proposal");
        var etag = await _storage.WriteStateAsync(grain, "doc", "{\"revision\":5}", null, Ops(1, 5), None).WithTimeout();
        await _storage.WriteStateAsync(grain, "doc", "{\"revision\":7}", etag, [.. Ops(6, 2), new LogEntry("audit", 1, "\"opened\"")], None).WithTimeout();

        var middle = await _storage.ReadLogAsync(grain, "op", 3, 6, None).WithTimeout();
        Assert.Equal([3L, 4, 5, 6], middle.Select(e => e.Sequence));
        Assert.All(middle, e => Assert.Equal($$"""{"seq":{{e.Sequence}}}""", e.Json));
        Assert.Equal(7, (await _storage.ReadLogAsync(grain, "op", 0, long.MaxValue, None).WithTimeout()).Count);
        Assert.Equal("\"opened\"", Assert.Single(await _storage.ReadLogAsync(grain, "audit", 0, 100, None).WithTimeout()).Json);
        Assert.Empty(await _storage.ReadLogAsync(grain, "op", 8, 100, None).WithTimeout());
        Assert.Empty(await _storage.ReadLogAsync(grain, "op", 5, 4, None).WithTimeout());
    }

    [Fact]
    public async Task A_batch_with_a_conflicting_log_row_writes_nothing()
    {
        var grain = StorageFactory.NewGrain("proposal");
        var etag = await _storage.WriteStateAsync(grain, "doc", "\"v1\"", null, Ops(1, 3), None).WithTimeout();

        // Rows 4 and 5 are new, row 3 exists: the whole batch, state included, must fail.
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            _storage.WriteStateAsync(grain, "doc", "\"v2\"", etag, [.. Ops(4, 2), .. Ops(3, 1)], None).WithTimeout());

        var stored = await _storage.ReadStateAsync(grain, "doc", None).WithTimeout();
        Assert.Equal(("\"v1\"", etag), (stored!.Json, stored.ETag));
        Assert.Equal([1L, 2, 3], (await _storage.ReadLogAsync(grain, "op", 0, 100, None).WithTimeout()).Select(e => e.Sequence));
    }

    [Fact]
    public async Task A_batch_under_a_stale_etag_writes_no_log_rows()
    {
        var grain = StorageFactory.NewGrain("proposal");
        var stale = await _storage.WriteStateAsync(grain, "doc", "\"v1\"", null, [], None).WithTimeout();
        await _storage.WriteStateAsync(grain, "doc", "\"v2\"", stale, Ops(1, 1), None).WithTimeout();

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(grain, "doc", "\"v3\"", stale, Ops(2, 3), None).WithTimeout());

        Assert.Equal([1L], (await _storage.ReadLogAsync(grain, "op", 0, 100, None).WithTimeout()).Select(e => e.Sequence));
        Assert.Equal("\"v2\"", (await _storage.ReadStateAsync(grain, "doc", None).WithTimeout())!.Json);
    }

    [Fact]
    public async Task The_largest_batch_of_99_log_rows_commits()
    {
        var grain = StorageFactory.NewGrain("proposal");
        await _storage.WriteStateAsync(grain, "doc", "\"v\"", null, Ops(1, TableLimits.MaxBatchOperations - 1), None).WithTimeout();

        Assert.Equal(99, (await _storage.ReadLogAsync(grain, "op", 0, 1000, None).WithTimeout()).Count);
    }

    [Fact]
    public async Task More_than_100_operations_are_refused_and_nothing_is_written()
    {
        var grain = StorageFactory.NewGrain("proposal");

        var error = await Assert.ThrowsAsync<StorageLimitException>(() => _storage.WriteStateAsync(grain, "doc", "\"v\"", null, Ops(1, 100), None).WithTimeout());
        Assert.Contains("101 operations", error.Message, StringComparison.Ordinal);
        Assert.Null(await _storage.ReadStateAsync(grain, "doc", None).WithTimeout());
        Assert.Empty(await _storage.ReadLogAsync(grain, "op", 0, 1000, None).WithTimeout());
    }

    [Fact]
    public async Task A_batch_over_4_MiB_is_refused()
    {
        var grain = StorageFactory.NewGrain("proposal");
        var bulky = Enumerable.Range(1, 6).Select(i => new LogEntry("op", i, new string('x', 700 * 1024))).ToArray();

        var error = await Assert.ThrowsAsync<StorageLimitException>(() => _storage.WriteStateAsync(grain, "doc", "\"v\"", null, bulky, None).WithTimeout());
        Assert.Contains("4 MiB", error.Message, StringComparison.Ordinal);
        Assert.Null(await _storage.ReadStateAsync(grain, "doc", None).WithTimeout());
    }

    [Fact]
    public async Task Bad_log_input_is_refused_before_anything_is_sent()
    {
        var grain = StorageFactory.NewGrain("proposal");

        await Assert.ThrowsAsync<ArgumentException>(() => _storage.WriteStateAsync(grain, "doc", "\"v\"", null, [.. Ops(1, 1), .. Ops(1, 1)], None).WithTimeout());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _storage.WriteStateAsync(grain, "doc", "\"v\"", null, Ops(-1, 1), None).WithTimeout());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _storage.WriteStateAsync(grain, "doc", "\"v\"", null, Ops(1_000_000_000, 1), None).WithTimeout());
        await Assert.ThrowsAsync<ArgumentException>(() => _storage.WriteStateAsync(grain, "doc", "\"v\"", null, Ops(1, 1, "state"), None).WithTimeout());
        Assert.Null(await _storage.ReadStateAsync(grain, "doc", None).WithTimeout());
    }
}
