using System.Globalization;
using System.Text;
using Azure.Data.Tables;

namespace AscCollab.Storage.AzureTable;

/// <summary>
/// JSON stored as UTF-8 binary properties <c>d0</c>, <c>d1</c>, … of at most 64 KiB each, with
/// the chunk count in <c>n</c> (Int32). Binary rather than string properties because Azure counts
/// strings as UTF-16: the same 1 MiB entity then holds about twice as much JSON, and rows written
/// before the move to Azure.Data.Tables read back unchanged.
/// </summary>
internal static class ChunkedJson
{
    /// <summary>Azure: a binary property holds at most 64 KiB.</summary>
    public const int MaxChunkBytes = 64 * 1024;

    private const string CountProperty = "n";

    public static int ChunkCount(int utf8Length) => (utf8Length + MaxChunkBytes - 1) / MaxChunkBytes;

    public static int ChunkLength(int utf8Length, int index) => Math.Min(MaxChunkBytes, utf8Length - (index * MaxChunkBytes));

    /// <summary>Characters in the name of chunk <paramref name="index"/> ("d" and its decimal digits).</summary>
    public static int ChunkNameLength(int index) => ChunkName(index).Length;

    public static TableEntity ToEntity(string partitionKey, TableRow row)
    {
        var count = ChunkCount(row.Utf8Length);
        var entity = new TableEntity(partitionKey, row.RowKey) { [CountProperty] = count };
        for (var i = 0; i < count; i++)
        {
            // A row of one chunk (most rows) is stored from its own array: no copy on the write path.
            entity[ChunkName(i)] = count == 1 ? row.Utf8 : row.Utf8.AsSpan(i * MaxChunkBytes, ChunkLength(row.Utf8Length, i)).ToArray();
        }

        return entity;
    }

    public static string Read(TableEntity entity)
    {
        if (entity.GetInt32(CountProperty) is not int count || count < 0)
        {
            throw new InvalidDataException($"Row '{entity.PartitionKey}' / '{entity.RowKey}' has no chunk count; it was not written by this provider.");
        }

        using var buffer = new MemoryStream();
        for (var i = 0; i < count; i++)
        {
            // Joined as bytes before decoding: a chunk boundary may split a UTF-8 sequence.
            var chunk = entity.GetBinaryData(ChunkName(i))
                ?? throw new InvalidDataException($"Row '{entity.PartitionKey}' / '{entity.RowKey}' lacks chunk {i} of {count}.");
            buffer.Write(chunk.ToMemory().Span);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string ChunkName(int index) => "d" + index.ToString(CultureInfo.InvariantCulture);
}
