using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos.Table;

namespace AscCollab.Storage.AzureTable;

/// <summary>
/// JSON stored as UTF-8 binary properties <c>d0</c>, <c>d1</c>, … of at most 64 KiB each, with
/// the chunk count in <c>n</c>. Binary rather than string properties because Azure counts strings
/// as UTF-16: the same 1 MiB entity then holds about twice as much JSON. Written by the REST
/// writer (<see cref="WriteProperties"/>), read through the SDK (<see cref="Read"/>).
/// </summary>
internal static class ChunkedJson
{
    /// <summary>Azure: a binary property holds at most 64 KiB.</summary>
    public const int MaxChunkBytes = 64 * 1024;

    private const string CountProperty = "n";

    // A 1 MiB entity has at most 16 chunks; names beyond the cache are encoded when needed.
    private static readonly JsonEncodedText[] s_chunkNames = [.. Enumerable.Range(0, 32).Select(i => JsonEncodedText.Encode(ChunkName(i)))];
    private static readonly JsonEncodedText[] s_chunkTypeNames = [.. Enumerable.Range(0, 32).Select(i => JsonEncodedText.Encode(ChunkName(i) + "@odata.type"))];
    private static readonly JsonEncodedText s_countName = JsonEncodedText.Encode(CountProperty);
    private static readonly JsonEncodedText s_binaryType = JsonEncodedText.Encode("Edm.Binary");

    public static int ChunkCount(int utf8Length) => (utf8Length + MaxChunkBytes - 1) / MaxChunkBytes;

    public static int ChunkLength(int utf8Length, int index) => Math.Min(MaxChunkBytes, utf8Length - (index * MaxChunkBytes));

    /// <summary>Characters in the name of chunk <paramref name="index"/> ("d" and its decimal digits).</summary>
    public static int ChunkNameLength(int index)
    {
        var length = 2;
        for (var rest = index; rest >= 10; rest /= 10)
        {
            length++;
        }

        return length;
    }

    /// <summary>Writes <c>"n":count</c> and each chunk as base64 with its <c>Edm.Binary</c> annotation (Int32 needs none).</summary>
    public static void WriteProperties(Utf8JsonWriter json, ReadOnlySpan<byte> utf8)
    {
        var count = ChunkCount(utf8.Length);
        json.WriteNumber(s_countName, count);
        for (var i = 0; i < count; i++)
        {
            var chunk = utf8.Slice(i * MaxChunkBytes, ChunkLength(utf8.Length, i));
            if (i < s_chunkNames.Length)
            {
                json.WriteBase64String(s_chunkNames[i], chunk);
                json.WriteString(s_chunkTypeNames[i], s_binaryType);
            }
            else
            {
                json.WriteBase64String(ChunkName(i), chunk);
                json.WriteString(ChunkName(i) + "@odata.type", s_binaryType);
            }
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
