using System.Buffers;
using System.Text;
using System.Text.Json;

namespace AscCollab.Storage.AzureTable;

/// <summary>
/// The bytes of a write, into one pooled buffer: an entity's JSON (<c>PartitionKey</c>/<c>RowKey</c>
/// when inserting, then <see cref="ChunkedJson"/>'s properties), and for an entity-group transaction
/// the multipart/mixed body around them (one changeset, one <c>application/http</c> part per operation).
/// </summary>
internal sealed class TableWriteBody : IDisposable
{
    private static readonly JsonEncodedText s_partitionKey = JsonEncodedText.Encode("PartitionKey");
    private static readonly JsonEncodedText s_rowKey = JsonEncodedText.Encode("RowKey");

    private readonly PooledBuffer _buffer;
    private readonly Utf8JsonWriter _json;
    private readonly byte[] _scratch;

    /// <summary>A body for <paramref name="rows"/>; the buffer starts at the payload estimate, so it rarely grows.</summary>
    public TableWriteBody(string partitionKey, TableRow[] rows, int urlLength)
    {
        var capacity = 512L;
        var largest = 0;
        foreach (var row in rows)
        {
            capacity += TableLimits.BatchPayloadEstimate(partitionKey, row) + urlLength;
            largest = Math.Max(largest, row.Utf8Length);
        }

        _buffer = new PooledBuffer((int)Math.Min(capacity, int.MaxValue / 2));
        _scratch = ArrayPool<byte>.Shared.Rent(Math.Max(largest, 1));
        // The default encoder escapes non-ASCII and U+2028/9: the body stays ASCII, one line per entity.
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>The finished body; hand it over to a <see cref="TableWriteRequest"/>, which returns it to the pool.</summary>
    public PooledBuffer Buffer => _buffer;

    /// <summary>The entity as JSON: keys when inserting (a Replace takes them from its URL), then the chunked properties.</summary>
    public void WriteEntity(string? partitionKey, TableRow row)
    {
        // The same conversion as GetByteCount counted: Encoding.UTF8 turns a lone surrogate into U+FFFD.
        var length = Encoding.UTF8.GetBytes(row.Json, _scratch);
        _json.Reset();
        _json.WriteStartObject();
        if (partitionKey is not null)
        {
            _json.WriteString(s_partitionKey, partitionKey);
            _json.WriteString(s_rowKey, row.RowKey);
        }

        ChunkedJson.WriteProperties(_json, _scratch.AsSpan(0, length));
        _json.WriteEndObject();
        _json.Flush();
    }

    /// <summary>
    /// The multipart/mixed body of an entity-group transaction; returns its boundary. The state
    /// row goes first (PUT under If-Match, or POST when <paramref name="expectedETag"/> is null),
    /// each log row is a POST. CRLF line endings; no Content-Length inside (Azure needs none).
    /// </summary>
    public string WriteBatch(ReadOnlySpan<byte> tableUrl, string partitionKey, TableRow[] rows, string? expectedETag)
    {
        // One random id names both boundaries; it cannot occur in the base64 and escaped JSON of the parts.
        Span<byte> id = stackalloc byte[32];
        Guid.NewGuid().TryFormat(id, out _, "N");

        _buffer.Write("--batch_"u8);
        _buffer.Write(id);
        _buffer.Write("\r\nContent-Type: multipart/mixed; boundary=changeset_"u8);
        _buffer.Write(id);
        _buffer.Write("\r\n\r\n"u8);

        for (var i = 0; i < rows.Length; i++)
        {
            _buffer.Write("--changeset_"u8);
            _buffer.Write(id);
            _buffer.Write("\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"u8);
            if (i == 0 && expectedETag is not null)
            {
                _buffer.Write("PUT "u8);
                _buffer.Write(tableUrl);
                WriteEntityKeys(_buffer, partitionKey, rows[i].RowKey);
                _buffer.Write(" HTTP/1.1\r\nAccept: application/json;odata=nometadata\r\nContent-Type: application/json\r\nDataServiceVersion: 3.0\r\nIf-Match: "u8);
                _buffer.WriteAscii(expectedETag);
                _buffer.Write("\r\n\r\n"u8);
                WriteEntity(null, rows[i]);
            }
            else
            {
                _buffer.Write("POST "u8);
                _buffer.Write(tableUrl);
                _buffer.Write(" HTTP/1.1\r\nAccept: application/json;odata=nometadata\r\nContent-Type: application/json\r\nPrefer: return-no-content\r\nDataServiceVersion: 3.0\r\n\r\n"u8);
                WriteEntity(partitionKey, rows[i]);
            }

            _buffer.Write("\r\n"u8);
        }

        _buffer.Write("--changeset_"u8);
        _buffer.Write(id);
        _buffer.Write("--\r\n--batch_"u8);
        _buffer.Write(id);
        _buffer.Write("--\r\n"u8);
        return string.Concat("batch_", Encoding.ASCII.GetString(id));
    }

    /// <summary>
    /// <c>(PartitionKey='…',RowKey='…')</c>: single quotes doubled (OData string literals), then
    /// every byte of the UTF-8 outside RFC 3986's unreserved set (and the quote) percent-encoded.
    /// </summary>
    public static void WriteEntityKeys(PooledBuffer buffer, string partitionKey, string rowKey)
    {
        buffer.Write("(PartitionKey='"u8);
        WriteKey(buffer, partitionKey);
        buffer.Write("',RowKey='"u8);
        WriteKey(buffer, rowKey);
        buffer.Write("')"u8);
    }

    /// <summary>Returns the scratch array; the buffer lives on in the request (or was disposed by the caller on failure).</summary>
    public void Dispose()
    {
        _json.Dispose();
        ArrayPool<byte>.Shared.Return(_scratch);
    }

    private static ReadOnlySpan<byte> HexDigits => "0123456789ABCDEF"u8;

    private static void WriteKey(PooledBuffer buffer, string key)
    {
        // Keys hold at most 512 UTF-16 characters (TableKeys), so at most 1,536 bytes of UTF-8.
        var maxBytes = Encoding.UTF8.GetMaxByteCount(key.Length);
        Span<byte> utf8 = maxBytes <= 2048 ? stackalloc byte[2048] : new byte[maxBytes];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        var target = buffer.GetSpan(length * 3);
        var written = 0;
        foreach (var b in utf8[..length])
        {
            if (b == (byte)'\'')
            {
                target[written++] = b;
                target[written++] = b;
            }
            else if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                target[written++] = b;
            }
            else
            {
                target[written++] = (byte)'%';
                target[written++] = HexDigits[b >> 4];
                target[written++] = HexDigits[b & 0xF];
            }
        }

        buffer.Advance(written);
    }
}
