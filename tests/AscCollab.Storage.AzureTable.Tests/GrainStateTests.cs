namespace AscCollab.Storage.AzureTable.Tests;

[Collection(AzuriteFixture.Collection)]
public sealed class GrainStateTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly AzureTableLogStorage _storage = StorageFactory.Storage(azurite);

    [Fact]
    public async Task Missing_state_reads_as_null()
    {
        Assert.Null(await _storage.ReadStateAsync(StorageFactory.NewGrain(), "main", None).WithTimeout());
    }

    [Fact]
    public async Task State_round_trips_and_each_write_gets_a_new_etag()
    {
        var grain = StorageFactory.NewGrain();
        var first = await _storage.WriteStateAsync(grain, "main", """{"title":"Maritime security","n":1}""", null, [], None).WithTimeout();
        var second = await _storage.WriteStateAsync(grain, "main", """{"title":"Maritime security","n":2}""", first, [], None).WithTimeout();

        var stored = await _storage.ReadStateAsync(grain, "main", None).WithTimeout();
        Assert.NotNull(stored);
        Assert.Equal("""{"title":"Maritime security","n":2}""", stored.Json);
        Assert.Equal(second, stored.ETag);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task State_given_as_utf8_is_stored_as_the_same_json_with_its_log_rows_and_limits()
    {
        var grain = StorageFactory.NewGrain();
        const string json = """{"text":"Zone of peace — 🌏","n":1}""";
        var first = await _storage.WriteStateUtf8Async(grain, "main", System.Text.Encoding.UTF8.GetBytes(json), null, [new LogEntry("op", 1, "{}")], None).WithTimeout();

        var stored = await _storage.ReadStateAsync(grain, "main", None).WithTimeout();
        Assert.Equal((json, first), (stored!.Json, stored.ETag));
        Assert.Single(await _storage.ReadLogAsync(grain, "op", 0, 9, None).WithTimeout());

        // Conditional like the string form: a stale ETag is refused and nothing changes.
        var second = await _storage.WriteStateUtf8Async(grain, "main", "2"u8.ToArray(), first, [], None).WithTimeout();
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateUtf8Async(grain, "main", "3"u8.ToArray(), first, [], None).WithTimeout());
        // Azure's limits are checked on the bytes given: a row past 1 MiB is refused before anything is sent.
        await Assert.ThrowsAsync<StorageLimitException>(() => _storage.WriteStateUtf8Async(grain, "main", new byte[1024 * 1024], second, [], None).WithTimeout());
        var kept = await _storage.ReadStateAsync(grain, "main", None).WithTimeout();
        Assert.Equal(("2", second), (kept!.Json, kept.ETag));
    }

    [Fact]
    public async Task Two_state_names_of_one_grain_are_independent()
    {
        var grain = StorageFactory.NewGrain();
        await _storage.WriteStateAsync(grain, "a", "\"A\"", null, [], None).WithTimeout();
        await _storage.WriteStateAsync(grain, "b", "\"B\"", null, [], None).WithTimeout();

        Assert.Equal("\"A\"", (await _storage.ReadStateAsync(grain, "a", None).WithTimeout())!.Json);
        Assert.Equal("\"B\"", (await _storage.ReadStateAsync(grain, "b", None).WithTimeout())!.Json);
    }

    [Fact]
    public async Task A_stale_etag_is_rejected_and_the_newer_state_kept()
    {
        var grain = StorageFactory.NewGrain();
        var original = await _storage.WriteStateAsync(grain, "main", "1", null, [], None).WithTimeout();
        var newer = await _storage.WriteStateAsync(grain, "main", "2", original, [], None).WithTimeout();

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(grain, "main", "3", original, [], None).WithTimeout());
        Assert.Contains("ETag", error.Message, StringComparison.Ordinal);

        var stored = await _storage.ReadStateAsync(grain, "main", None).WithTimeout();
        Assert.Equal(("2", newer), (stored!.Json, stored.ETag));
    }

    [Fact]
    public async Task Inserting_over_an_existing_state_is_rejected()
    {
        var grain = StorageFactory.NewGrain();
        await _storage.WriteStateAsync(grain, "main", "1", null, [], None).WithTimeout();

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(grain, "main", "2", null, [], None).WithTimeout());
        Assert.Equal("1", (await _storage.ReadStateAsync(grain, "main", None).WithTimeout())!.Json);
    }

    [Fact]
    public async Task Replacing_a_state_that_was_cleared_is_rejected()
    {
        var grain = StorageFactory.NewGrain();
        var etag = await _storage.WriteStateAsync(grain, "main", "1", null, [], None).WithTimeout();
        await _storage.ClearStateAsync(grain, "main", etag, None).WithTimeout();

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(grain, "main", "2", etag, [], None).WithTimeout());
        Assert.Null(await _storage.ReadStateAsync(grain, "main", None).WithTimeout());
    }

    [Fact]
    public async Task Clear_deletes_under_the_etag_only()
    {
        var grain = StorageFactory.NewGrain();
        var first = await _storage.WriteStateAsync(grain, "main", "1", null, [], None).WithTimeout();
        var second = await _storage.WriteStateAsync(grain, "main", "2", first, [], None).WithTimeout();

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync(grain, "main", first, None).WithTimeout());
        Assert.NotNull(await _storage.ReadStateAsync(grain, "main", None).WithTimeout());

        await _storage.ClearStateAsync(grain, "main", second, None).WithTimeout();
        Assert.Null(await _storage.ReadStateAsync(grain, "main", None).WithTimeout());
    }

    [Fact]
    public async Task Clear_without_etag_is_a_no_op_when_nothing_is_stored_and_rejected_otherwise()
    {
        var grain = StorageFactory.NewGrain();
        await _storage.ClearStateAsync(grain, "main", null, None).WithTimeout();

        await _storage.WriteStateAsync(grain, "main", "1", null, [], None).WithTimeout();
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync(grain, "main", null, None).WithTimeout());
    }

    [Theory]
    [InlineData("a/b\\c#d?e")]
    [InlineData("100% | pipes | and %2F lookalikes")]
    [InlineData("tab\there\u0001\u007f\u0085")]
    [InlineData("ไทย Việt 中文 emoji 😀")]
    public async Task Odd_keys_and_state_names_round_trip_without_colliding(string odd)
    {
        var grain = GrainId.Create("odd|type/x", odd);
        var etag = await _storage.WriteStateAsync(grain, odd, $"\"{odd.Length}\"", null, [new LogEntry(odd, 1, "\"op\"")], None).WithTimeout();

        var stored = await _storage.ReadStateAsync(grain, odd, None).WithTimeout();
        Assert.Equal(etag, stored!.ETag);
        Assert.Equal($"\"{odd.Length}\"", stored.Json);
        Assert.Equal("\"op\"", Assert.Single(await _storage.ReadLogAsync(grain, odd, 0, 10, None).WithTimeout()).Json);

        // The escaped form of the key must not alias another grain.
        Assert.Null(await _storage.ReadStateAsync(GrainId.Create("odd|type/x", TableKeys.Escape(odd) + "x"), odd, None).WithTimeout());
    }

    [Fact]
    public async Task A_key_over_1_KiB_is_refused_with_a_clear_error()
    {
        var grain = GrainId.Create("test", new string('k', TableKeys.MaxKeyChars));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _storage.WriteStateAsync(grain, "main", "1", null, [], None).WithTimeout());
        Assert.Contains("1 KiB", error.Message, StringComparison.Ordinal);
    }
}
