using Microsoft.Extensions.Logging.Abstractions;

namespace AscCollab.Storage.AzureTable.Tests;

/// <summary>Providers on fresh tables of the shared Azurite, so tests never see each other's rows.</summary>
internal static class StorageFactory
{
    public static AzureTableStorageOptions Options(AzuriteFixture azurite, string? prefix = null) => new()
    {
        ConnectionString = azurite.ConnectionString,
        TablePrefix = prefix ?? AzuriteFixture.NewTablePrefix(),
    };

    public static AzureTableGrainStorage Grains(AzureTableStorageOptions options) => new(options, NullLogger<AzureTableGrainStorage>.Instance);

    public static AzureTableGrainStorage Grains(AzuriteFixture azurite) => Grains(Options(azurite));

    public static AzureTableReminderTable Reminders(AzureTableStorageOptions options) => new(options, NullLogger<AzureTableReminderTable>.Instance);

    public static AzureTableReminderTable Reminders(AzuriteFixture azurite) => Reminders(Options(azurite));

    public static GrainId NewGrain(string type = "test") => new(type, "k-" + Guid.NewGuid().ToString("N")[..8]);
}
