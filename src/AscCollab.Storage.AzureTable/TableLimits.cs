namespace AscCollab.Storage.AzureTable;

/// <summary>
/// Azure Table storage's documented limits, checked before anything is sent: Azurite does not
/// enforce all of them, and a write that passes the emulator must not fail in Azure.
/// Computed on our own row model: a row is <c>n</c> (Int32) plus <c>d0</c> … <c>d{n-1}</c> (binary chunks).
/// </summary>
internal static class TableLimits
{
    public const int MaxEntityBytes = 1024 * 1024;
    public const int MaxCustomProperties = 252;
    public const int MaxBatchOperations = 100;
    public const int MaxBatchPayloadBytes = 4 * 1024 * 1024;

    // The chunk count "n": one character of name, an Int32 value.
    private const long CountPropertySize = 8 + (2 * 1) + 4;
    private const long CountPropertyPayload = 64 + (2 * 1) + 40;

    /// <summary>Properties the row needs: the chunk count and one per chunk.</summary>
    public static int PropertyCount(TableRow row) => 1 + ChunkedJson.ChunkCount(row.Utf8Length);

    /// <summary>Azure's documented size formula: 4 + 2·len(PK + RK) + Σ (8 + 2·len(name) + size of value); binary = 4 + bytes.</summary>
    public static long EntitySize(string partitionKey, TableRow row)
    {
        long size = 4 + (2L * (partitionKey.Length + row.RowKey.Length)) + CountPropertySize;
        var chunks = ChunkedJson.ChunkCount(row.Utf8Length);
        for (var i = 0; i < chunks; i++)
        {
            size += 8 + (2L * ChunkedJson.ChunkNameLength(i)) + 4 + ChunkedJson.ChunkLength(row.Utf8Length, i);
        }

        return size;
    }

    /// <summary>
    /// An upper bound of the row's share of a batch request body: binary travels as base64 in
    /// JSON with an <c>Edm.Binary</c> annotation, and each operation adds its multipart headers
    /// and URL (keys possibly percent-encoded).
    /// </summary>
    public static long BatchPayloadEstimate(string partitionKey, TableRow row)
    {
        long size = 1024 + (3L * 2 * (partitionKey.Length + row.RowKey.Length)) + CountPropertyPayload;
        var chunks = ChunkedJson.ChunkCount(row.Utf8Length);
        for (var i = 0; i < chunks; i++)
        {
            size += 64 + (2L * ChunkedJson.ChunkNameLength(i)) + (4L * ((ChunkedJson.ChunkLength(row.Utf8Length, i) + 2) / 3));
        }

        return size;
    }

    /// <summary>Throws <see cref="StorageLimitException"/> when the row is too large for Azure.</summary>
    public static void CheckRow(string partitionKey, TableRow row, string what)
    {
        var properties = PropertyCount(row);
        if (properties > MaxCustomProperties)
        {
            throw new StorageLimitException(
                $"{what} needs {properties} properties; Azure Table storage allows {MaxCustomProperties} per entity. Nothing was written.");
        }

        var size = EntitySize(partitionKey, row);
        if (size > MaxEntityBytes)
        {
            throw new StorageLimitException(
                $"{what} would be an entity of {size:N0} bytes; Azure Table storage allows {MaxEntityBytes:N0} (1 MiB). Nothing was written.");
        }
    }
}
