namespace AscCollab.Storage.AzureTable;

/// <summary>
/// Where and how <see cref="AzureTableLogStorage"/> stores grain state and logs. A named options
/// instance per storage (the options name is the storage name). The retry settings become
/// Azure.Core's retry policy (exponential backoff); only transient failures are retried.
/// </summary>
public sealed class AzureTableStorageOptions
{
    /// <summary>An Azure Storage connection string (Azurite's locally). The Server reads it from <c>ASCCOLLAB_STORAGE</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The table is named <c>{TablePrefix}grains</c>: letters and digits, starting with a letter.</summary>
    public string TablePrefix { get; set; } = "asccollab";

    /// <summary>Attempts per request, the first included (Azure.Core's <c>MaxRetries</c> is one less).</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The delay before the first retry; it doubles on each later retry, with jitter.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>No single retry delay exceeds this.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>One attempt that takes longer than this fails as a transient timeout (Azure.Core's <c>NetworkTimeout</c>).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    internal string GrainsTableName => TablePrefix + "grains";
}
