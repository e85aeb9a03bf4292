using System.Text;
using Azure;
using Azure.Data.Tables;

namespace AscCollab.Storage.AzureTable.Tests;

/// <summary>
/// The write path on Azure.Data.Tables against Azurite: single requests without log rows, one
/// entity-group transaction with them; what Azure refuses inside a transaction names the row.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class TransactionTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly AzureTableStorageOptions _options = StorageFactory.Options(azurite);

    private AzureTableLogStorage Storage() => StorageFactory.Storage(_options);

    // Multi-byte text, so 64 KiB chunk boundaries fall inside UTF-8 sequences.
    private static string Text(int approximateBytes, string prefix = "")
    {
        var text = new StringBuilder(approximateBytes + 64).Append("{\"text\":\"").Append(prefix);
        for (var i = 0; text.Length < approximateBytes; i++)
        {
            text.Append("Điều ").Append(i).Append(": ความมั่นคงทางทะเล 海上安全 😀 \\\"quoted\\\" ");
        }

        return text.Append("\"}").ToString();
    }

    [Fact]
    public async Task A_transaction_with_chunks_over_64_KiB_round_trips()
    {
        var storage = Storage();
        var grain = StorageFactory.NewGrain("proposal");
        var state = Text(200 * 1024);
        var bigEntry = Text(150 * 1024, "log ");

        var etag = await storage.WriteStateAsync(grain, "doc", state, null, [new LogEntry("op", 1, bigEntry), new LogEntry("op", 2, "{\"small\":true}")], None).WithTimeout();

        Assert.Equal((state, etag), Stored(await storage.ReadStateAsync(grain, "doc", None).WithTimeout()));
        var log = await storage.ReadLogAsync(grain, "op", 0, 10, None).WithTimeout();
        Assert.Equal([bigEntry, "{\"small\":true}"], log.Select(e => e.Json));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("{\"text\":\"ไทย Việt 中文 emoji 😀 \\u2028 \\\" \\\\ </script>\"}")]
    [InlineData("{\"escaped lone surrogates\":\"\\ud800 and \\udfff stay as written\"}")]
    public async Task State_without_log_rows_is_added_and_replaced_as_single_requests(string json)
    {
        var storage = Storage();
        var grain = StorageFactory.NewGrain();

        var added = await storage.WriteStateAsync(grain, "main", json, null, [], None).WithTimeout();
        Assert.Equal((json, added), Stored(await storage.ReadStateAsync(grain, "main", None).WithTimeout()));

        var replaced = await storage.WriteStateAsync(grain, "main", json + " ", added, [], None).WithTimeout();
        Assert.NotEqual(added, replaced);
        Assert.Equal((json + " ", replaced), Stored(await storage.ReadStateAsync(grain, "main", None).WithTimeout()));
    }

    [Fact]
    public async Task A_raw_lone_surrogate_is_stored_as_U_FFFD_exactly_as_UTF8_encoding_does()
    {
        var storage = Storage();
        var grain = StorageFactory.NewGrain();
        var json = "\"a\ud800b\udc00c\"";

        await storage.WriteStateAsync(grain, "main", json, null, [new LogEntry("op", 1, json)], None).WithTimeout();

        var expected = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(json));
        Assert.Equal("\"a\uFFFDb\uFFFDc\"", expected);
        Assert.Equal(expected, (await storage.ReadStateAsync(grain, "main", None).WithTimeout())!.Json);
        Assert.Equal(expected, Assert.Single(await storage.ReadLogAsync(grain, "op", 0, 10, None).WithTimeout()).Json);
    }

    [Theory]
    [InlineData("a/b\\c#d?e'f''g(h)i")]
    [InlineData("100% | pipes | and %2F lookalikes ~!*$&+,;=@")]
    [InlineData("tab\there\u0001\u007f\u0085")]
    [InlineData("ไทย Việt 中文 emoji 😀")]
    public async Task Odd_keys_survive_a_single_replace_a_transaction_and_a_log_query(string odd)
    {
        // A Replace puts the keys into the request URL, a transaction into its parts, a log read into a filter.
        var storage = Storage();
        var grain = GrainId.Create("odd'type", odd);
        var first = await storage.WriteStateAsync(grain, odd, "1", null, [], None).WithTimeout();

        var second = await storage.WriteStateAsync(grain, odd, "2", first, [], None).WithTimeout();

        Assert.Equal(("2", second), Stored(await storage.ReadStateAsync(grain, odd, None).WithTimeout()));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(grain, odd, "3", first, [], None).WithTimeout());

        var third = await storage.WriteStateAsync(grain, odd, "3", second, [new LogEntry(odd, 1, "\"op\"")], None).WithTimeout();
        Assert.Equal(("3", third), Stored(await storage.ReadStateAsync(grain, odd, None).WithTimeout()));
        Assert.Equal("\"op\"", Assert.Single(await storage.ReadLogAsync(grain, odd, 0, 10, None).WithTimeout()).Json);
    }

    [Fact]
    public async Task A_line_separator_in_a_key_survives_single_requests_and_a_transaction()
    {
        var storage = Storage();
        var grain = GrainId.Create("test", "line\u2028separator\u2029paragraph");
        var first = await storage.WriteStateAsync(grain, "main", "1", null, [], None).WithTimeout();

        var second = await storage.WriteStateAsync(grain, "main", "2", first, [], None).WithTimeout();
        Assert.Equal(("2", second), Stored(await storage.ReadStateAsync(grain, "main", None).WithTimeout()));

        var third = await storage.WriteStateAsync(grain, "main", "3", second, [new LogEntry("op", 1, "1")], None).WithTimeout();
        Assert.Equal(("3", third), Stored(await storage.ReadStateAsync(grain, "main", None).WithTimeout()));
    }

    [Fact]
    public async Task A_stale_etag_in_a_transaction_rejects_everything_with_the_azure_status_inside()
    {
        var storage = Storage();
        var grain = StorageFactory.NewGrain("proposal");
        var stale = await storage.WriteStateAsync(grain, "doc", "\"v1\"", null, [], None).WithTimeout();
        var current = await storage.WriteStateAsync(grain, "doc", "\"v2\"", stale, [], None).WithTimeout();

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync(grain, "doc", "\"v3\"", stale, [new LogEntry("op", 1, "1"), new LogEntry("op", 2, "2")], None).WithTimeout());

        Assert.Contains("ETag", error.Message, StringComparison.Ordinal);
        Assert.Contains("the state row 'state|doc' (operation 0 of 3", error.Message, StringComparison.Ordinal);
        var failed = Assert.IsType<TableTransactionFailedException>(error.InnerException);
        Assert.Equal((412, 0), (failed.Status, failed.FailedTransactionActionIndex));
        Assert.Equal(("\"v2\"", current), Stored(await storage.ReadStateAsync(grain, "doc", None).WithTimeout()));
        Assert.Empty(await storage.ReadLogAsync(grain, "op", 0, 10, None).WithTimeout());
    }

    [Fact]
    public async Task An_existing_log_row_fails_the_transaction_with_409_and_names_the_row()
    {
        var storage = Storage();
        var grain = StorageFactory.NewGrain("proposal");
        var etag = await storage.WriteStateAsync(grain, "doc", "\"v1\"", null, [new LogEntry("op", 2, "\"two\"")], None).WithTimeout();

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync(grain, "doc", "\"v2\"", etag, [new LogEntry("op", 1, "\"one\""), new LogEntry("op", 2, "\"again\""), new LogEntry("op", 3, "\"three\"")], None).WithTimeout());

        var failed = Assert.IsType<TableTransactionFailedException>(error.InnerException);
        Assert.Equal((409, 2), (failed.Status, failed.FailedTransactionActionIndex));
        Assert.Contains("log row 'op|000000002' (operation 2 of 4", error.Message, StringComparison.Ordinal);
        Assert.Equal(("\"v1\"", etag), Stored(await storage.ReadStateAsync(grain, "doc", None).WithTimeout()));
        Assert.Equal(["\"two\""], (await storage.ReadLogAsync(grain, "op", 0, 10, None).WithTimeout()).Select(e => e.Json));
    }

    [Fact]
    public async Task Adding_a_state_that_exists_fails_alone_and_in_a_transaction()
    {
        var storage = Storage();
        var grain = StorageFactory.NewGrain("proposal");
        var etag = await storage.WriteStateAsync(grain, "doc", "\"v1\"", null, [], None).WithTimeout();

        var single = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(grain, "doc", "\"v2\"", null, [], None).WithTimeout());
        var batch = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(grain, "doc", "\"v2\"", null, [new LogEntry("op", 1, "1")], None).WithTimeout());

        Assert.Equal(409, Assert.IsAssignableFrom<RequestFailedException>(single.InnerException).Status);
        Assert.Equal(409, Assert.IsType<TableTransactionFailedException>(batch.InnerException).Status);
        Assert.Equal(("\"v1\"", etag), Stored(await storage.ReadStateAsync(grain, "doc", None).WithTimeout()));
        Assert.Empty(await storage.ReadLogAsync(grain, "op", 0, 10, None).WithTimeout());
    }

    [Fact]
    public async Task Replacing_a_cleared_state_in_a_transaction_fails_with_404_and_writes_no_log_rows()
    {
        var storage = Storage();
        var grain = StorageFactory.NewGrain("proposal");
        var etag = await storage.WriteStateAsync(grain, "doc", "\"v1\"", null, [], None).WithTimeout();
        await storage.ClearStateAsync(grain, "doc", etag, None).WithTimeout();

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync(grain, "doc", "\"v2\"", etag, [new LogEntry("op", 1, "1")], None).WithTimeout());

        Assert.Contains("no longer exists", error.Message, StringComparison.Ordinal);
        Assert.Equal(404, Assert.IsType<TableTransactionFailedException>(error.InnerException).Status);
        Assert.Null(await storage.ReadStateAsync(grain, "doc", None).WithTimeout());
        Assert.Empty(await storage.ReadLogAsync(grain, "op", 0, 10, None).WithTimeout());
    }

    [Fact]
    public async Task Clearing_a_row_that_is_already_gone_is_rejected()
    {
        var storage = Storage();
        var grain = StorageFactory.NewGrain();
        var etag = await storage.WriteStateAsync(grain, "main", "1", null, [], None).WithTimeout();
        await storage.ClearStateAsync(grain, "main", etag, None).WithTimeout();

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(grain, "main", etag, None).WithTimeout());
        Assert.Contains("no longer exists", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(ChunkedJson.MaxChunkBytes)]
    [InlineData(ChunkedJson.MaxChunkBytes + 1)]
    [InlineData((5 * ChunkedJson.MaxChunkBytes) + 7)]
    public async Task The_size_we_check_is_Azures_formula_applied_to_the_stored_entity(int bytes)
    {
        var storage = Storage();
        var grain = StorageFactory.NewGrain();
        var json = new string('x', bytes);
        await storage.WriteStateAsync(grain, "main", json, null, [], None).WithTimeout();

        var table = new TableClient(_options.ConnectionString, _options.GrainsTableName);
        var partitionKey = TableKeys.PartitionKey(grain);
        var entity = (await table.GetEntityAsync<TableEntity>(partitionKey, TableKeys.StateRowKey("main")).WithTimeout()).Value;

        // Azure's documented formula, spelled out here independently of TableLimits; the SDK adds odata.etag and Timestamp.
        var properties = entity.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")).ToList();
        long expected = 4 + (2 * (entity.PartitionKey.Length + entity.RowKey.Length));
        foreach (var (name, value) in properties)
        {
            expected += 8 + (2 * name.Length) + value switch
            {
                byte[] binary => 4 + binary.Length,
                BinaryData binary => 4 + binary.ToMemory().Length,
                int => 4,
                _ => throw new InvalidOperationException($"Property {name} has an unexpected type {value.GetType()}."),
            };
        }

        var row = new TableRow(entity.RowKey, new byte[bytes]);
        Assert.Equal(expected, TableLimits.EntitySize(partitionKey, row));
        Assert.Equal(properties.Count, TableLimits.PropertyCount(row));
    }

    private static (string Json, string ETag) Stored(StoredState? state) => (state!.Json, state.ETag);
}
