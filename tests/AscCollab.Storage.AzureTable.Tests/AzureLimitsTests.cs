using Azure.Data.Tables;

namespace AscCollab.Storage.AzureTable.Tests;

/// <summary>
/// Azure's documented limits are enforced by our code, before a byte is sent: Azurite is lenient
/// about some of them, so a write that the emulator took could otherwise fail in Azure. The proxy
/// in front of Azurite counts what reaches it.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class AzureLimitsTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Azurite_itself_stores_an_entity_over_1_MiB_that_Azure_would_refuse()
    {
        // The premise of this class: without our check, the emulator would not catch it.
        var table = new TableClient(azurite.ConnectionString, AzuriteFixture.NewTablePrefix() + "raw");
        await table.CreateIfNotExistsAsync().WithTimeout();
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < 17; i++)
        {
            entity["d" + i] = new byte[ChunkedJson.MaxChunkBytes];
        }

        await table.AddEntityAsync(entity).WithTimeout();

        var stored = await table.GetEntityAsync<TableEntity>("p", "r").WithTimeout();
        Assert.Equal(17, stored.Value.Keys.Count(k => k.StartsWith('d')));
        Assert.True(TableLimits.EntitySize("p", new TableRow("r", new byte[17 * ChunkedJson.MaxChunkBytes])) > TableLimits.MaxEntityBytes);
    }

    public static TheoryData<string, int, int, string> Oversized => new()
    {
        // what, bytes of state, log rows of 100 bytes, words the refusal holds
        { "entity over 1 MiB", (1024 * 1024) + 1, 0, "1 MiB" },
        { "101 operations", 10, 100, "101 operations" },
    };

    [Theory]
    [MemberData(nameof(Oversized))]
    public async Task A_write_over_a_limit_is_refused_before_anything_reaches_the_storage(string what, int stateBytes, int logRows, string expected)
    {
        await using var proxy = new FlakyTableProxy(azurite.ConnectionString);
        var storage = StorageFactory.Storage(StorageFactory.Options(proxy.ConnectionString));
        var grain = StorageFactory.NewGrain("proposal");
        await storage.ReadStateAsync(grain, "doc", None).WithTimeout(); // creates the table
        var appends = Enumerable.Range(1, logRows).Select(i => new LogEntry("op", i, new string('x', 100))).ToArray();

        var error = await Assert.ThrowsAsync<StorageLimitException>(() =>
            storage.WriteStateAsync(grain, "doc", new string('s', stateBytes), null, appends, None).WithTimeout());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", error.Message, StringComparison.Ordinal);
        Assert.True(proxy.Writes == 0, $"{what}: {proxy.Writes} write requests reached the storage");
        Assert.Null(await storage.ReadStateAsync(grain, "doc", None).WithTimeout());
    }

    [Fact]
    public async Task A_transaction_over_4_MiB_is_refused_before_anything_reaches_the_storage()
    {
        await using var proxy = new FlakyTableProxy(azurite.ConnectionString);
        var storage = StorageFactory.Storage(StorageFactory.Options(proxy.ConnectionString));
        var grain = StorageFactory.NewGrain("proposal");
        await storage.ReadStateAsync(grain, "doc", None).WithTimeout();
        // Six rows of 700 KiB: each fits an entity, together they exceed a transaction's 4 MiB.
        var bulky = Enumerable.Range(1, 6).Select(i => new LogEntry("op", i, new string('x', 700 * 1024))).ToArray();

        var error = await Assert.ThrowsAsync<StorageLimitException>(() => storage.WriteStateAsync(grain, "doc", "\"v\"", null, bulky, None).WithTimeout());

        Assert.Contains("4 MiB", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, proxy.Writes);
    }

    [Fact]
    public async Task A_key_over_1_KiB_is_refused_before_anything_reaches_the_storage()
    {
        await using var proxy = new FlakyTableProxy(azurite.ConnectionString);
        var storage = StorageFactory.Storage(StorageFactory.Options(proxy.ConnectionString));
        await storage.ReadStateAsync(StorageFactory.NewGrain(), "doc", None).WithTimeout();

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            storage.WriteStateAsync(GrainId.Create("test", new string('/', 200)), "doc", "1", null, [], None).WithTimeout());

        Assert.Contains("1 KiB", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, proxy.Writes);
    }

    [Fact]
    public async Task The_largest_entity_we_allow_is_stored_and_read_back()
    {
        // The other side of the limit: just under 1 MiB by Azure's formula must go through.
        var storage = StorageFactory.Storage(azurite);
        var grain = StorageFactory.NewGrain();
        var partitionKey = TableKeys.PartitionKey(grain);
        var bytes = (15 * ChunkedJson.MaxChunkBytes) + 60_000;
        Assert.True(TableLimits.EntitySize(partitionKey, new TableRow(TableKeys.StateRowKey("main"), new byte[bytes])) <= TableLimits.MaxEntityBytes);
        var json = new string('x', bytes);

        var etag = await storage.WriteStateAsync(grain, "main", json, null, [], None).WithTimeout();

        var stored = await storage.ReadStateAsync(grain, "main", None).WithTimeout();
        Assert.Equal((json, etag), (stored!.Json, stored.ETag));
    }
}
