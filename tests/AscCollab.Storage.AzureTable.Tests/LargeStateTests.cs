using System.Text;

namespace AscCollab.Storage.AzureTable.Tests;

[Collection(AzuriteFixture.Collection)]
public sealed class LargeStateTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly AzureTableLogStorage _storage = StorageFactory.Storage(azurite);

    // Varied, multi-byte text so a chunk boundary falls inside UTF-8 sequences.
    private static string Json(int approximateBytes)
    {
        var text = new StringBuilder(approximateBytes + 64).Append("{\"text\":\"");
        for (var i = 0; text.Length < approximateBytes; i++)
        {
            text.Append("Article ").Append(i).Append(": ความมั่นคง an toàn 😀 ");
        }

        return text.Append("\"}").ToString();
    }

    [Fact]
    public async Task A_600_KiB_state_round_trips_in_chunks()
    {
        var grain = StorageFactory.NewGrain();
        var json = Json(600 * 1024);
        Assert.True(Encoding.UTF8.GetByteCount(json) > 600 * 1024);

        var etag = await _storage.WriteStateAsync(grain, "main", json, null, [], None).WithTimeout();
        var stored = await _storage.ReadStateAsync(grain, "main", None).WithTimeout();

        Assert.Equal(etag, stored!.ETag);
        Assert.Equal(json, stored.Json);
    }

    [Fact]
    public async Task A_large_log_entry_round_trips_in_chunks()
    {
        var grain = StorageFactory.NewGrain();
        var json = Json(200 * 1024);

        await _storage.WriteStateAsync(grain, "main", "{}", null, [new LogEntry("op", 1, json)], None).WithTimeout();

        Assert.Equal(json, Assert.Single(await _storage.ReadLogAsync(grain, "op", 1, 1, None).WithTimeout()).Json);
    }

    [Fact]
    public async Task A_state_over_1_MiB_is_refused_with_a_clear_error_and_nothing_stored()
    {
        var grain = StorageFactory.NewGrain();
        var json = Json((1024 * 1024) + 1);

        var error = await Assert.ThrowsAsync<StorageLimitException>(() => _storage.WriteStateAsync(grain, "main", json, null, [], None).WithTimeout());
        Assert.Contains("1 MiB", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", error.Message, StringComparison.Ordinal);
        Assert.Null(await _storage.ReadStateAsync(grain, "main", None).WithTimeout());
    }

    [Fact]
    public async Task An_oversized_replacement_keeps_the_previous_state()
    {
        var grain = StorageFactory.NewGrain();
        var etag = await _storage.WriteStateAsync(grain, "main", "\"small\"", null, [], None).WithTimeout();

        await Assert.ThrowsAsync<StorageLimitException>(() => _storage.WriteStateAsync(grain, "main", Json(2 * 1024 * 1024), etag, [], None).WithTimeout());

        var stored = await _storage.ReadStateAsync(grain, "main", None).WithTimeout();
        Assert.Equal(("\"small\"", etag), (stored!.Json, stored.ETag));
    }
}
