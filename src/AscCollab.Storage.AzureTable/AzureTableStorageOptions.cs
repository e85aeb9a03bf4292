namespace AscCollab.Storage.AzureTable;

/// <summary>Where and how the Azure Table provider stores grain state and reminders.</summary>
public sealed class AzureTableStorageOptions
{
    /// <summary>An Azure Storage connection string (Azurite's locally). The Server reads it from <c>ASCCOLLAB_STORAGE</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Tables are named <c>{TablePrefix}grains</c> and <c>{TablePrefix}reminders</c>: letters and digits, starting with a letter.</summary>
    public string TablePrefix { get; set; } = "asccollab";

    /// <summary>Attempts per operation, the first included; transient failures only are retried.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The delay before the first retry; it doubles on each later retry, with jitter.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>No single retry delay exceeds this.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>One request (one attempt) that takes longer than this fails as a transient timeout.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    internal string GrainsTableName => TablePrefix + "grains";

    internal string RemindersTableName => TablePrefix + "reminders";
}
