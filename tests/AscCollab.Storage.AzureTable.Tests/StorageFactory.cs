using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AscCollab.Storage.AzureTable.Tests;

/// <summary>Storages on fresh tables of the shared Azurite, so tests never see each other's rows.</summary>
internal static class StorageFactory
{
    public static AzureTableStorageOptions Options(AzuriteFixture azurite, string? prefix = null) => Options(azurite.ConnectionString, prefix);

    public static AzureTableStorageOptions Options(string connectionString, string? prefix = null) => new()
    {
        ConnectionString = connectionString,
        TablePrefix = prefix ?? AzuriteFixture.NewTablePrefix(),
    };

    /// <summary>Short retry delays for tests that exercise retries.</summary>
    public static AzureTableStorageOptions QuickRetries(string connectionString, int maxAttempts = 4) => new()
    {
        ConnectionString = connectionString,
        TablePrefix = AzuriteFixture.NewTablePrefix(),
        MaxAttempts = maxAttempts,
        InitialRetryDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromMilliseconds(40),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    public static AzureTableLogStorage Storage(AzureTableStorageOptions options, ILogger<AzureTableLogStorage>? logger = null) =>
        new(options, logger ?? NullLogger<AzureTableLogStorage>.Instance);

    public static AzureTableLogStorage Storage(AzuriteFixture azurite) => Storage(Options(azurite));

    public static GrainId NewGrain(string type = "test") => GrainId.Create(type, "k-" + Guid.NewGuid().ToString("N")[..8]);
}
