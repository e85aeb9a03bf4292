using System.Globalization;
using System.Text;
using Microsoft.Azure.Cosmos.Table;

namespace AscCollab.Storage.AzureTable;

/// <summary>
/// Writes JSON into an entity as UTF-8 binary properties <c>d0</c>, <c>d1</c>, … of at most
/// 64 KiB each, with the chunk count in <c>n</c>. Binary rather than string properties because
/// Azure counts strings as UTF-16: the same 1 MiB entity then holds about twice as much JSON.
/// </summary>
internal static class ChunkedJson
{
    /// <summary>Azure: a binary property holds at most 64 KiB.</summary>
    public const int MaxChunkBytes = 64 * 1024;

    private const string CountProperty = "n";

    public static void Write(DynamicTableEntity entity, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var count = (bytes.Length + MaxChunkBytes - 1) / MaxChunkBytes;
        entity.Properties[CountProperty] = new EntityProperty(count);
        for (var i = 0; i < count; i++)
        {
            var length = Math.Min(MaxChunkBytes, bytes.Length - (i * MaxChunkBytes));
            entity.Properties[ChunkName(i)] = new EntityProperty(bytes.AsSpan(i * MaxChunkBytes, length).ToArray());
        }
    }

    public static string Read(DynamicTableEntity entity)
    {
        if (!entity.Properties.TryGetValue(CountProperty, out var countProperty) || countProperty.Int32Value is not int count || count < 0)
        {
            throw new InvalidDataException($"Row '{entity.PartitionKey}' / '{entity.RowKey}' has no chunk count; it was not written by this provider.");
        }

        using var buffer = new MemoryStream();
        for (var i = 0; i < count; i++)
        {
            if (!entity.Properties.TryGetValue(ChunkName(i), out var chunk) || chunk.BinaryValue is not byte[] bytes)
            {
                throw new InvalidDataException($"Row '{entity.PartitionKey}' / '{entity.RowKey}' lacks chunk {i} of {count}.");
            }

            buffer.Write(bytes);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string ChunkName(int index) => "d" + index.ToString(CultureInfo.InvariantCulture);
}
