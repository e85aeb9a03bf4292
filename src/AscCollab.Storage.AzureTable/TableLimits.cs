using Microsoft.Azure.Cosmos.Table;

namespace AscCollab.Storage.AzureTable;

/// <summary>
/// Azure Table storage's documented limits, checked before anything is sent: Azurite does not
/// enforce all of them, and a write that passes the emulator must not fail in Azure.
/// </summary>
internal static class TableLimits
{
    public const int MaxEntityBytes = 1024 * 1024;
    public const int MaxCustomProperties = 252;
    public const int MaxBatchOperations = 100;
    public const int MaxBatchPayloadBytes = 4 * 1024 * 1024;

    /// <summary>Azure's documented size formula: 4 + 2·len(PK + RK) + Σ (8 + 2·len(name) + size of value).</summary>
    public static long EntitySize(ITableEntity entity, IDictionary<string, EntityProperty> properties)
    {
        long size = 4 + (2L * (entity.PartitionKey.Length + entity.RowKey.Length));
        foreach (var (name, value) in properties)
        {
            size += 8 + (2L * name.Length) + ValueSize(value);
        }

        return size;
    }

    /// <summary>
    /// An upper bound of the entity's share of a batch request body: binary travels as base64 in
    /// JSON, and each operation adds its multipart headers and URL (keys possibly percent-encoded).
    /// </summary>
    public static long BatchPayloadEstimate(ITableEntity entity, IDictionary<string, EntityProperty> properties)
    {
        long size = 1024 + (3L * 2 * (entity.PartitionKey.Length + entity.RowKey.Length));
        foreach (var (name, value) in properties)
        {
            size += 64 + (2L * name.Length) + value.PropertyType switch
            {
                EdmType.Binary => 4L * (((value.BinaryValue?.Length ?? 0) + 2) / 3),
                EdmType.String => 6L * (value.StringValue?.Length ?? 0),
                _ => 40,
            };
        }

        return size;
    }

    /// <summary>Throws <see cref="StorageLimitException"/> when the entity is too large for Azure.</summary>
    public static void CheckEntity(DynamicTableEntity entity, string what)
    {
        if (entity.Properties.Count > MaxCustomProperties)
        {
            throw new AscCollab.Runtime.StorageLimitException(
                $"{what} needs {entity.Properties.Count} properties; Azure Table storage allows {MaxCustomProperties} per entity. Nothing was written.");
        }

        var size = EntitySize(entity, entity.Properties);
        if (size > MaxEntityBytes)
        {
            throw new AscCollab.Runtime.StorageLimitException(
                $"{what} would be an entity of {size:N0} bytes; Azure Table storage allows {MaxEntityBytes:N0} (1 MiB). Nothing was written.");
        }
    }

    private static long ValueSize(EntityProperty value) => value.PropertyType switch
    {
        EdmType.String => 4 + (2L * (value.StringValue?.Length ?? 0)),
        EdmType.Binary => 4 + (long)(value.BinaryValue?.Length ?? 0),
        EdmType.Boolean => 1,
        EdmType.Int32 => 4,
        EdmType.Guid => 16,
        _ => 8,
    };
}
