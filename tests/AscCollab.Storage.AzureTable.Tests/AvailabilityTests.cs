using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace AscCollab.Storage.AzureTable.Tests;

[Collection(AzuriteFixture.Collection)]
public sealed class AvailabilityTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    // A port that nothing listens on: connections are refused at once, a transient network error.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_retried_a_bounded_number_of_times_then_reported()
    {
        var options = StorageFactory.Options(AzuriteFixture.ConnectionStringFor(ClosedPort()));
        options.RequestTimeout = TimeSpan.FromSeconds(2);
        var logger = new RetryCounter();
        var storage = StorageFactory.Storage(options, logger);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<AzureTableStorageException>(() => storage.ReadStateAsync(StorageFactory.NewGrain(), "main", None).WithTimeout());

        Assert.Contains("after 4 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains(options.GrainsTableName, error.Message, StringComparison.Ordinal);
        Assert.Equal(4, logger.FailedAttempts);
        // Three backoffs of 100, 200 and 400 ms, each ±20 % jitter: the delays are Azure.Core's, from our options.
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(550), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Our_retry_settings_become_Azure_Cores_retry_options()
    {
        var options = new AzureTableStorageOptions
        {
            ConnectionString = azurite.ConnectionString,
            MaxAttempts = 5,
            InitialRetryDelay = TimeSpan.FromMilliseconds(250),
            MaxRetryDelay = TimeSpan.FromSeconds(3),
            RequestTimeout = TimeSpan.FromSeconds(7),
        };

        var retry = TableConnection.ClientOptions(options, "unused", NullLogger.Instance).Retry;

        Assert.Equal(
            (RetryMode.Exponential, 4, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(7)),
            (retry.Mode, retry.MaxRetries, retry.Delay, retry.MaxDelay, retry.NetworkTimeout));
    }

    [Fact]
    public async Task A_table_whose_creation_failed_is_created_by_the_next_call()
    {
        await using var proxy = new FlakyTableProxy(azurite.ConnectionString);
        var storage = StorageFactory.Storage(StorageFactory.QuickRetries(proxy.ConnectionString, maxAttempts: 1));
        var grain = StorageFactory.NewGrain();
        proxy.FailNextTableCreations(1);

        await Assert.ThrowsAsync<AzureTableStorageException>(() => storage.WriteStateAsync(grain, "main", "1", null, [], None).WithTimeout());
        var etag = await storage.WriteStateAsync(grain, "main", "1", null, [], None).WithTimeout();

        Assert.Equal(etag, (await storage.ReadStateAsync(grain, "main", None).WithTimeout())!.ETag);
    }

    [Fact]
    public async Task The_health_probe_reports_reachable_tables_and_creates_them()
    {
        var options = StorageFactory.Options(azurite);
        var probe = new AzureTableHealthProbe([StorageFactory.Storage(options).Connection], NullLogger<AzureTableHealthProbe>.Instance);

        var health = await probe.CheckAsync(None).WithTimeout();

        Assert.True(health.IsHealthy, health.Description);
        Assert.Contains(options.GrainsTableName, health.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_health_probe_reports_an_unreachable_endpoint()
    {
        var options = StorageFactory.Options(AzuriteFixture.ConnectionStringFor(ClosedPort()));
        options.MaxAttempts = 1;
        var probe = new AzureTableHealthProbe([StorageFactory.Storage(options).Connection], NullLogger<AzureTableHealthProbe>.Instance);

        var health = await probe.CheckAsync(None).WithTimeout();

        Assert.False(health.IsHealthy);
        Assert.Contains("not reachable", health.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_health_probe_reports_a_stalled_storage_within_the_callers_bound()
    {
        await using var proxy = new FlakyTableProxy(azurite.ConnectionString);
        var options = StorageFactory.QuickRetries(proxy.ConnectionString, maxAttempts: 1);
        options.RequestTimeout = TimeSpan.FromMilliseconds(500);
        var probe = new AzureTableHealthProbe([StorageFactory.Storage(options).Connection], NullLogger<AzureTableHealthProbe>.Instance);
        proxy.StallReads();

        var health = await probe.CheckAsync(None).WithTimeout();

        Assert.False(health.IsHealthy);
        Assert.Contains("request timeout", health.Description, StringComparison.Ordinal);
    }
}
