using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;

namespace AscCollab.Storage.AzureTable.Tests;

[Collection(AzuriteFixture.Collection)]
public sealed class AvailabilityTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    // A port that nothing listens on: connections are refused at once, a transient socket error.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_retried_a_bounded_number_of_times_then_reported()
    {
        var options = new AzureTableStorageOptions
        {
            ConnectionString = AzuriteFixture.ConnectionStringFor(ClosedPort()),
            TablePrefix = AzuriteFixture.NewTablePrefix(),
            RequestTimeout = TimeSpan.FromSeconds(2),
        };
        var storage = StorageFactory.Grains(options);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<AzureTableStorageException>(() => storage.ReadStateAsync(StorageFactory.NewGrain(), "main", None).WithTimeout());

        Assert.Contains("after 4 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains(options.GrainsTableName, error.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Backoff_grows_with_jitter_and_stays_bounded()
    {
        var connection = new TableConnection(StorageFactory.Options(azurite), "unused", NullLogger.Instance);
        for (var round = 0; round < 50; round++)
        {
            Assert.InRange(connection.BackoffDelay(1).TotalMilliseconds, 50, 100);
            Assert.InRange(connection.BackoffDelay(2).TotalMilliseconds, 100, 200);
            Assert.InRange(connection.BackoffDelay(3).TotalMilliseconds, 200, 400);
            Assert.InRange(connection.BackoffDelay(10).TotalMilliseconds, 500, 1000);
        }
    }

    [Fact]
    public async Task The_health_probe_reports_reachable_tables_and_creates_them()
    {
        var options = StorageFactory.Options(azurite);
        var probe = new AzureTableHealthProbe([StorageFactory.Grains(options).Connection], NullLogger<AzureTableHealthProbe>.Instance);

        var health = await probe.CheckAsync(None).WithTimeout();

        Assert.True(health.IsHealthy, health.Description);
        Assert.Contains(options.GrainsTableName, health.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_health_probe_reports_an_unreachable_endpoint()
    {
        var options = new AzureTableStorageOptions { ConnectionString = AzuriteFixture.ConnectionStringFor(ClosedPort()), MaxAttempts = 1 };
        var probe = new AzureTableHealthProbe([StorageFactory.Grains(options).Connection], NullLogger<AzureTableHealthProbe>.Instance);

        var health = await probe.CheckAsync(None).WithTimeout();

        Assert.False(health.IsHealthy);
        Assert.Contains("not reachable", health.Description, StringComparison.Ordinal);
    }
}
