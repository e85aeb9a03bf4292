using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AscCollab.Storage.AzureTable;

/// <summary>
/// Reads Azure's answers to the REST writer. An entity-group transaction answers 202 with a
/// multipart/mixed body whose changeset holds one <c>application/http</c> part per operation on
/// success (each with its ETag header), or a single part with the failing operation's status and
/// an <c>odata.error</c> whose message starts with that operation's index (<c>"1:The specified
/// entity already exists…"</c>).
/// </summary>
internal static class TableWriteResponse
{
    private static ReadOnlySpan<byte> StatusLinePrefix => "HTTP/1.1 "u8;

    private static ReadOnlySpan<byte> ETagHeader => "ETag:"u8;

    /// <summary>The state row's new ETag from a 202 batch answer (the state is always the first operation); throws for a failed operation.</summary>
    public static string StateETag(ReadOnlySpan<byte> body, TableWriteRequest write)
    {
        string? stateETag = null;
        var parts = 0;
        var position = 0;
        while (NextStatusLine(body, ref position) is int lineStart)
        {
            var status = ParseStatus(body, lineStart + StatusLinePrefix.Length);
            string? etag = null;

            // Headers up to the empty line.
            var cursor = NextLine(body, lineStart);
            while (cursor < body.Length)
            {
                var end = LineEnd(body, cursor);
                var line = body[cursor..end];
                if (line.IsEmpty)
                {
                    cursor = NextLine(body, cursor);
                    break;
                }

                if (parts == 0 && line.Length > ETagHeader.Length && Ascii.EqualsIgnoreCase(line[..ETagHeader.Length], ETagHeader))
                {
                    etag = Encoding.ASCII.GetString(line[ETagHeader.Length..].Trim((byte)' '));
                }

                cursor = NextLine(body, cursor);
            }

            // The part's body runs to the next boundary line.
            var bodyEnd = cursor;
            while (bodyEnd < body.Length && !(body[bodyEnd] == (byte)'-' && bodyEnd + 1 < body.Length && body[bodyEnd + 1] == (byte)'-'))
            {
                bodyEnd = NextLine(body, bodyEnd);
            }

            if (status is < 200 or >= 300)
            {
                throw Failure(status, null, body[cursor..bodyEnd], write);
            }

            if (parts == 0)
            {
                stateETag = etag;
            }

            parts++;
            position = bodyEnd;
        }

        if (parts != write.Rows.Length || stateETag is null)
        {
            throw new TableRestException(202, "UnexpectedResponse",
                $"The entity-group transaction answered 202 with {parts} successful operation parts for {write.Rows.Length} operations{(stateETag is null ? " and no ETag for the state row" : "")}.");
        }

        return stateETag;
    }

    /// <summary>
    /// The exception for a failed request or operation: status, Azure's error code (from the
    /// <c>odata.error</c> body, else the <c>x-ms-error-code</c> header) and, for a batch, which
    /// operation failed (the index that prefixes Azure's message).
    /// </summary>
    public static TableRestException Failure(int status, string? headerErrorCode, ReadOnlySpan<byte> body, TableWriteRequest write)
    {
        var (code, message) = ParseError(body);
        code ??= headerErrorCode;
        message ??= body.IsEmpty ? StatusText(status) : Encoding.UTF8.GetString(body[..Math.Min(body.Length, 300)]);

        var what = write.IsBatch ? "the entity-group transaction" : write.DescribeOperation(0);
        var colon = message.IndexOf(':', StringComparison.Ordinal);
        if (write.IsBatch && colon > 0 && int.TryParse(message.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < write.Rows.Length)
        {
            what = $"{write.DescribeOperation(index)} (operation {index} of {write.Rows.Length} in one transaction)";
            message = message[(colon + 1)..];
        }

        return new TableRestException(status, code, $"{what} failed: {message.ReplaceLineEndings(" ").Trim()}");
    }

    private static (string? Code, string? Message) ParseError(ReadOnlySpan<byte> body)
    {
        string? code = null;
        string? message = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                // {"odata.error":{"code":"…","message":{"lang":"en-US","value":"…"}}}
                var isCode = reader.ValueTextEquals("code"u8);
                var isMessage = reader.ValueTextEquals("value"u8) || reader.ValueTextEquals("message"u8);
                if ((isCode || isMessage) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    if (isCode)
                    {
                        code = reader.GetString();
                    }
                    else
                    {
                        message = reader.GetString();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's or load balancer's page): the caller shows the raw text.
        }

        return (code, message);
    }

    private static string StatusText(int status) =>
        Enum.IsDefined(typeof(System.Net.HttpStatusCode), status) ? ((System.Net.HttpStatusCode)status).ToString() : "no details";

    private static int? NextStatusLine(ReadOnlySpan<byte> body, ref int position)
    {
        while (position < body.Length)
        {
            var found = body[position..].IndexOf(StatusLinePrefix);
            if (found < 0)
            {
                position = body.Length;
                return null;
            }

            var start = position + found;
            position = start + StatusLinePrefix.Length;
            if (start == 0 || body[start - 1] == (byte)'\n')
            {
                return start;
            }
        }

        return null;
    }

    private static int ParseStatus(ReadOnlySpan<byte> body, int start) =>
        start + 3 <= body.Length && int.TryParse(body.Slice(start, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : 0;

    private static int LineEnd(ReadOnlySpan<byte> body, int start)
    {
        var newline = body[start..].IndexOf((byte)'\n');
        var end = newline < 0 ? body.Length : start + newline;
        return end > start && body[end - 1] == (byte)'\r' ? end - 1 : end;
    }

    private static int NextLine(ReadOnlySpan<byte> body, int start)
    {
        var newline = body[start..].IndexOf((byte)'\n');
        return newline < 0 ? body.Length : start + newline + 1;
    }
}
