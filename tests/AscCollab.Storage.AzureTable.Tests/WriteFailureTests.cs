using Microsoft.Azure.Cosmos.Table;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AscCollab.Storage.AzureTable.Tests;

/// <summary>
/// The REST write path when the network or the service misbehaves (through <see cref="FlakyTableProxy"/>),
/// and when the request is not authorized: transient failures are retried within the bound, others fail at once.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class RestWriteFailureTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private sealed class RetryCounter : ILogger<AzureTableGrainStorage>
    {
        private int _retries;

        public int Retries => Volatile.Read(ref _retries);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 2002)
            {
                Interlocked.Increment(ref _retries);
            }
        }
    }

    private static AzureTableStorageOptions Options(string connectionString, string? prefix = null, int maxAttempts = 4) => new()
    {
        ConnectionString = connectionString,
        TablePrefix = prefix ?? AzuriteFixture.NewTablePrefix(),
        MaxAttempts = maxAttempts,
        InitialRetryDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromMilliseconds(40),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    [Theory]
    [InlineData(FlakyTableProxy.Fault.ServiceUnavailable, true)]
    [InlineData(FlakyTableProxy.Fault.ServiceUnavailable, false)]
    [InlineData(FlakyTableProxy.Fault.DropBeforeForwarding, true)]
    [InlineData(FlakyTableProxy.Fault.DropBeforeForwarding, false)]
    public async Task A_transient_failure_of_a_write_is_retried_and_the_write_lands_once(FlakyTableProxy.Fault fault, bool withLogRows)
    {
        await using var proxy = new FlakyTableProxy(azurite.ConnectionString);
        var logger = new RetryCounter();
        var storage = new AzureTableGrainStorage(Options(proxy.ConnectionString), logger);
        var grain = StorageFactory.NewGrain("proposal");
        var first = await storage.WriteStateAsync(grain, "doc", "\"v1\"", null, [], None).WithTimeout();
        var writesBefore = proxy.Writes;
        proxy.FailNextWrites(fault);

        var etag = await storage.WriteStateAsync(grain, "doc", "\"v2\"", first, withLogRows ? [new LogEntry("op", 1, "1"), new LogEntry("op", 2, "2")] : [], None).WithTimeout();

        Assert.Equal(2, proxy.Writes - writesBefore);
        if (fault == FlakyTableProxy.Fault.ServiceUnavailable)
        {
            // A dropped connection may be retried by the HTTP handler itself before ours sees it; a 503 is ours to retry.
            Assert.Equal(1, logger.Retries);
        }

        var stored = await storage.ReadStateAsync(grain, "doc", None).WithTimeout();
        Assert.Equal(("\"v2\"", etag), (stored!.Json, stored.ETag));
        Assert.Equal(withLogRows ? 2 : 0, (await storage.ReadLogAsync(grain, "op", 0, 10, None).WithTimeout()).Count);
    }

    [Fact]
    public async Task Transient_failures_past_the_bound_surface_as_storage_exceptions_naming_the_status()
    {
        await using var proxy = new FlakyTableProxy(azurite.ConnectionString);
        var storage = new AzureTableGrainStorage(Options(proxy.ConnectionString, maxAttempts: 3), NullLogger<AzureTableGrainStorage>.Instance);
        var grain = StorageFactory.NewGrain("proposal");
        await storage.ReadStateAsync(grain, "doc", None).WithTimeout(); // creates the table
        proxy.FailNextWrites(FlakyTableProxy.Fault.ServiceUnavailable, FlakyTableProxy.Fault.ServiceUnavailable, FlakyTableProxy.Fault.ServiceUnavailable);

        var error = await Assert.ThrowsAsync<AzureTableStorageException>(() =>
            storage.WriteStateAsync(grain, "doc", "\"v1\"", null, [new LogEntry("op", 1, "1")], None).WithTimeout());

        Assert.Contains("write state and log", error.Message, StringComparison.Ordinal);
        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, proxy.Writes);
        Assert.Null(await storage.ReadStateAsync(grain, "doc", None).WithTimeout());
    }

    [Fact]
    public async Task A_batch_stored_but_not_acknowledged_is_reported_inconsistent_and_found_on_reload()
    {
        await using var proxy = new FlakyTableProxy(azurite.ConnectionString);
        var storage = new AzureTableGrainStorage(Options(proxy.ConnectionString), NullLogger<AzureTableGrainStorage>.Instance);
        var grain = StorageFactory.NewGrain("proposal");
        var first = await storage.WriteStateAsync(grain, "doc", "\"v1\"", null, [], None).WithTimeout();
        proxy.FailNextWrites(FlakyTableProxy.Fault.DropAfterForwarding);

        // The retry finds its own commit: the ETag moved on (412), so the caller reloads (docs/storage.md, "Ambiguous commits").
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync(grain, "doc", "\"v2\"", first, [new LogEntry("op", 1, "1")], None).WithTimeout());

        Assert.Equal("\"v2\"", (await storage.ReadStateAsync(grain, "doc", None).WithTimeout())!.Json);
        Assert.Single(await storage.ReadLogAsync(grain, "op", 0, 10, None).WithTimeout());
    }

    [Fact]
    public async Task A_request_signed_with_a_wrong_key_fails_at_once_and_clearly()
    {
        var options = StorageFactory.Options(azurite);
        var grain = StorageFactory.NewGrain("proposal");
        var good = StorageFactory.Grains(options);
        var etag = await good.WriteStateAsync(grain, "doc", "\"v1\"", null, [], None).WithTimeout();
        var wrongKey = options.ConnectionString!.Replace(AzuriteFixture.DevelopmentAccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        var writer = new TableRestWriter(wrongKey, options.GrainsTableName);
        TableRow[] rows = [new("state|doc", "\"v2\"", 4), new("op|000000001", "1", 1)];
        using var request = writer.Prepare(TableKeys.PartitionKey(grain), rows, etag);

        // Through the connection (the table exists), so the retry classification is exercised too: one attempt only.
        var attempts = 0;
        var error = await Assert.ThrowsAsync<TableRestException>(() => good.Connection.ExecuteAsync(
            token =>
            {
                attempts++;
                return writer.SendAsync(request, token);
            }, "write state and log", None).WithTimeout());

        Assert.Equal(1, attempts);
        Assert.Equal(403, error.Status);
        Assert.False(TableConnection.IsTransient(error, attemptTimedOut: false));
        Assert.Contains("HTTP 403", TableConnection.Describe(error), StringComparison.Ordinal);
        var stored = await good.ReadStateAsync(grain, "doc", None).WithTimeout();
        Assert.Equal(("\"v1\"", etag), (stored!.Json, stored.ETag));
    }

    [Fact]
    public async Task A_storage_with_a_wrong_key_reports_a_permanent_error()
    {
        var wrongKey = azurite.ConnectionString.Replace(AzuriteFixture.DevelopmentAccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        var storage = new AzureTableGrainStorage(Options(wrongKey), NullLogger<AzureTableGrainStorage>.Instance);

        var error = await Assert.ThrowsAsync<AzureTableStorageException>(() =>
            storage.WriteStateAsync(StorageFactory.NewGrain(), "main", "1", null, [new LogEntry("op", 1, "1")], None).WithTimeout());

        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sas_connection_string_writes_through_the_query_signature()
    {
        var account = CloudStorageAccount.Parse(azurite.ConnectionString);
        var sas = account.GetSharedAccessSignature(new SharedAccessAccountPolicy
        {
            Services = SharedAccessAccountServices.Table,
            ResourceTypes = SharedAccessAccountResourceTypes.Service | SharedAccessAccountResourceTypes.Container | SharedAccessAccountResourceTypes.Object,
            Permissions = SharedAccessAccountPermissions.Read | SharedAccessAccountPermissions.Write | SharedAccessAccountPermissions.Add
                | SharedAccessAccountPermissions.Update | SharedAccessAccountPermissions.Delete | SharedAccessAccountPermissions.List | SharedAccessAccountPermissions.Create,
            SharedAccessExpiryTime = DateTimeOffset.UtcNow.AddHours(1),
            Protocols = SharedAccessProtocol.HttpsOrHttp,
        });
        var storage = new AzureTableGrainStorage(Options($"TableEndpoint={account.TableEndpoint};SharedAccessSignature={sas.TrimStart('?')}"), NullLogger<AzureTableGrainStorage>.Instance);
        var grain = StorageFactory.NewGrain("proposal");

        var first = await storage.WriteStateAsync(grain, "doc", "\"v1\"", null, [], None).WithTimeout();
        var second = await storage.WriteStateAsync(grain, "doc", "\"v2\"", first, [], None).WithTimeout();
        var third = await storage.WriteStateAsync(grain, "doc", "\"v3\"", second, [new LogEntry("op", 1, "1")], None).WithTimeout();

        var stored = await storage.ReadStateAsync(grain, "doc", None).WithTimeout();
        Assert.Equal(("\"v3\"", third), (stored!.Json, stored.ETag));
        Assert.Single(await storage.ReadLogAsync(grain, "op", 0, 10, None).WithTimeout());
    }
}
