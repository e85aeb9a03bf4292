using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Sas;

namespace AscCollab.Storage.AzureTable.Tests;

/// <summary>
/// Writes when the network or the service misbehaves (through <see cref="FlakyTableProxy"/>) and
/// when the request is not authorized: Azure.Core retries transient failures within our bound,
/// others fail at once; a commit whose answer was lost is found on reload.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class WriteFailureTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(FlakyTableProxy.Fault.ServiceUnavailable, true)]
    [InlineData(FlakyTableProxy.Fault.ServiceUnavailable, false)]
    [InlineData(FlakyTableProxy.Fault.DropBeforeForwarding, true)]
    [InlineData(FlakyTableProxy.Fault.DropBeforeForwarding, false)]
    public async Task A_transient_failure_of_a_write_is_retried_and_the_write_lands_once(FlakyTableProxy.Fault fault, bool withLogRows)
    {
        await using var proxy = new FlakyTableProxy(azurite.ConnectionString);
        var logger = new RetryCounter();
        var storage = StorageFactory.Storage(StorageFactory.QuickRetries(proxy.ConnectionString), logger);
        var grain = StorageFactory.NewGrain("proposal");
        var first = await storage.WriteStateAsync(grain, "doc", "\"v1\"", null, [], None).WithTimeout();
        var writesBefore = proxy.Writes;
        proxy.FailNextWrites(fault);

        var etag = await storage.WriteStateAsync(grain, "doc", "\"v2\"", first, withLogRows ? [new LogEntry("op", 1, "1"), new LogEntry("op", 2, "2")] : [], None).WithTimeout();

        Assert.Equal(2, proxy.Writes - writesBefore);
        if (fault == FlakyTableProxy.Fault.ServiceUnavailable)
        {
            // A dropped connection may be retried by the HTTP handler itself before Azure.Core sees it; a 503 is Azure.Core's to retry.
            Assert.Equal(1, logger.FailedAttempts);
        }

        Assert.Equal(("\"v2\"", etag), Stored(await storage.ReadStateAsync(grain, "doc", None).WithTimeout()));
        Assert.Equal(withLogRows ? 2 : 0, (await storage.ReadLogAsync(grain, "op", 0, 10, None).WithTimeout()).Count);
    }

    [Fact]
    public async Task Transient_failures_past_the_bound_surface_as_storage_exceptions_naming_the_status()
    {
        await using var proxy = new FlakyTableProxy(azurite.ConnectionString);
        var logger = new RetryCounter();
        var storage = StorageFactory.Storage(StorageFactory.QuickRetries(proxy.ConnectionString, maxAttempts: 3), logger);
        var grain = StorageFactory.NewGrain("proposal");
        await storage.ReadStateAsync(grain, "doc", None).WithTimeout(); // creates the table
        proxy.FailNextWrites(FlakyTableProxy.Fault.ServiceUnavailable, FlakyTableProxy.Fault.ServiceUnavailable, FlakyTableProxy.Fault.ServiceUnavailable);

        var error = await Assert.ThrowsAsync<AzureTableStorageException>(() =>
            storage.WriteStateAsync(grain, "doc", "\"v1\"", null, [new LogEntry("op", 1, "1")], None).WithTimeout());

        Assert.Contains("write state and log", error.Message, StringComparison.Ordinal);
        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", error.Message, StringComparison.Ordinal);
        Assert.Equal((3, 3), (proxy.Writes, logger.FailedAttempts));
        Assert.Null(await storage.ReadStateAsync(grain, "doc", None).WithTimeout());
    }

    [Fact]
    public async Task A_transaction_stored_but_not_acknowledged_is_reported_inconsistent_and_found_on_reload()
    {
        await using var proxy = new FlakyTableProxy(azurite.ConnectionString);
        var storage = StorageFactory.Storage(StorageFactory.QuickRetries(proxy.ConnectionString));
        var grain = StorageFactory.NewGrain("proposal");
        var first = await storage.WriteStateAsync(grain, "doc", "\"v1\"", null, [], None).WithTimeout();
        proxy.FailNextWrites(FlakyTableProxy.Fault.DropAfterForwarding);

        // The retry finds its own commit: the ETag moved on (412), so the caller reloads (docs/storage.md, "Ambiguous commits").
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync(grain, "doc", "\"v2\"", first, [new LogEntry("op", 1, "1")], None).WithTimeout());

        var reloaded = await storage.ReadStateAsync(grain, "doc", None).WithTimeout();
        Assert.Equal("\"v2\"", reloaded!.Json);
        Assert.NotEqual(first, reloaded.ETag);
        Assert.Equal("1", Assert.Single(await storage.ReadLogAsync(grain, "op", 0, 10, None).WithTimeout()).Json);
    }

    [Fact]
    public async Task A_commit_whose_answer_was_lost_without_retry_is_unavailable_and_recognisable_on_reread()
    {
        await using var proxy = new FlakyTableProxy(azurite.ConnectionString);
        var storage = StorageFactory.Storage(StorageFactory.QuickRetries(proxy.ConnectionString, maxAttempts: 1));
        var grain = StorageFactory.NewGrain("proposal");
        var first = await storage.WriteStateAsync(grain, "doc", "\"v1\"", null, [], None).WithTimeout();
        proxy.FailNextWrites(FlakyTableProxy.Fault.DropAfterForwarding);

        // The caller hears "unavailable", not "rejected": it cannot know whether the write landed...
        await Assert.ThrowsAsync<AzureTableStorageException>(() =>
            storage.WriteStateAsync(grain, "doc", "\"v2\"", first, [new LogEntry("op", 1, "\"edit 1\"")], None).WithTimeout());

        // ...and finds out by rereading: a new ETag, its own state and its own log row.
        var reread = await storage.ReadStateAsync(grain, "doc", None).WithTimeout();
        Assert.NotEqual(first, reread!.ETag);
        Assert.Equal("\"v2\"", reread.Json);
        Assert.Equal("\"edit 1\"", Assert.Single(await storage.ReadLogAsync(grain, "op", 1, 1, None).WithTimeout()).Json);

        // The old ETag is stale now, the reread one writes on.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(grain, "doc", "\"v2b\"", first, [], None).WithTimeout());
        await storage.WriteStateAsync(grain, "doc", "\"v3\"", reread.ETag, [new LogEntry("op", 2, "\"edit 2\"")], None).WithTimeout();
    }

    [Fact]
    public async Task A_stalled_write_times_out_per_attempt_and_is_reported_after_the_bound()
    {
        await using var proxy = new FlakyTableProxy(azurite.ConnectionString);
        var options = StorageFactory.QuickRetries(proxy.ConnectionString, maxAttempts: 2);
        options.RequestTimeout = TimeSpan.FromMilliseconds(500);
        var storage = StorageFactory.Storage(options);
        var grain = StorageFactory.NewGrain("proposal");
        await storage.ReadStateAsync(grain, "doc", None).WithTimeout();
        proxy.FailNextWrites(FlakyTableProxy.Fault.Stall, FlakyTableProxy.Fault.Stall);

        var error = await Assert.ThrowsAsync<AzureTableStorageException>(() =>
            storage.WriteStateAsync(grain, "doc", "\"v1\"", null, [new LogEntry("op", 1, "1")], None).WithTimeout());

        Assert.Contains("after 2 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("no answer within the request timeout", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, proxy.Writes);
        Assert.Null(await storage.ReadStateAsync(grain, "doc", None).WithTimeout());
    }

    [Fact]
    public async Task A_cancelled_caller_gets_a_cancellation_not_an_outage()
    {
        await using var proxy = new FlakyTableProxy(azurite.ConnectionString);
        var storage = StorageFactory.Storage(StorageFactory.QuickRetries(proxy.ConnectionString));
        var grain = StorageFactory.NewGrain("proposal");
        await storage.ReadStateAsync(grain, "doc", None).WithTimeout();
        proxy.FailNextWrites(FlakyTableProxy.Fault.Stall);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => storage.WriteStateAsync(grain, "doc", "\"v1\"", null, [], cancel.Token).WithTimeout());
    }

    [Fact]
    public async Task A_storage_with_a_wrong_key_reports_a_permanent_error_at_once()
    {
        var wrongKey = azurite.ConnectionString.Replace(AzuriteFixture.DevelopmentAccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        var logger = new RetryCounter();
        var storage = StorageFactory.Storage(StorageFactory.QuickRetries(wrongKey), logger);

        var error = await Assert.ThrowsAsync<AzureTableStorageException>(() =>
            storage.WriteStateAsync(StorageFactory.NewGrain(), "main", "1", null, [new LogEntry("op", 1, "1")], None).WithTimeout());

        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(403, Assert.IsAssignableFrom<RequestFailedException>(error.InnerException).Status);
        Assert.Equal(0, logger.FailedAttempts);
    }

    [Fact]
    public async Task A_sas_connection_string_writes_too()
    {
        var service = new TableServiceClient(azurite.ConnectionString);
        var sas = service.GenerateSasUri(TableAccountSasPermissions.All, TableAccountSasResourceTypes.All, DateTimeOffset.UtcNow.AddHours(1));
        var endpoint = sas.GetLeftPart(UriPartial.Path);
        var storage = StorageFactory.Storage(StorageFactory.Options($"TableEndpoint={endpoint};SharedAccessSignature={sas.Query.TrimStart('?')}"));
        var grain = StorageFactory.NewGrain("proposal");

        var first = await storage.WriteStateAsync(grain, "doc", "\"v1\"", null, [], None).WithTimeout();
        var second = await storage.WriteStateAsync(grain, "doc", "\"v2\"", first, [], None).WithTimeout();
        var third = await storage.WriteStateAsync(grain, "doc", "\"v3\"", second, [new LogEntry("op", 1, "1")], None).WithTimeout();

        Assert.Equal(("\"v3\"", third), Stored(await storage.ReadStateAsync(grain, "doc", None).WithTimeout()));
        Assert.Single(await storage.ReadLogAsync(grain, "op", 0, 10, None).WithTimeout());
    }

    private static (string Json, string ETag) Stored(StoredState? state) => (state!.Json, state.ETag);
}
