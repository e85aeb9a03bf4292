namespace AscCollab.Storage.AzureTable;

/// <summary>
/// One write, ready to send: its body is built once into a pooled buffer and sent again by each
/// retry (only the date and signature are renewed per attempt). Dispose after the last attempt;
/// <see cref="TableRestWriter.SendAsync"/> reports each attempt through <see cref="BeginAttempt"/>
/// and <see cref="Succeeded"/>.
/// </summary>
internal sealed class TableWriteRequest : IDisposable
{
    private readonly PooledBuffer _body;
    private int _attempts;
    private bool _returnBodyToPool = true;

    public TableWriteRequest(HttpMethod method, Uri uri, string? canonicalizedResource, string contentType, PooledBuffer body, string? ifMatch, TableRow[] rows)
    {
        Method = method;
        Uri = uri;
        CanonicalizedResource = canonicalizedResource;
        ContentType = contentType;
        _body = body;
        IfMatch = ifMatch;
        Rows = rows;
    }

    public HttpMethod Method { get; }

    public Uri Uri { get; }

    /// <summary>What Shared Key signs; null when the account authorizes otherwise (SAS, anonymous).</summary>
    public string? CanonicalizedResource { get; }

    public string ContentType { get; }

    public ReadOnlyMemory<byte> Body => _body.WrittenMemory;

    /// <summary>The ETag a single Replace is conditional on (in a batch it is inside the body).</summary>
    public string? IfMatch { get; }

    /// <summary>The state row first, then the log rows, in the order of the batch's operations.</summary>
    public TableRow[] Rows { get; }

    public bool IsBatch => Rows.Length > 1;

    /// <summary>An attempt starts: until it succeeds, the handler may be reading the body.</summary>
    public void BeginAttempt()
    {
        _attempts++;
        _returnBodyToPool = false;
    }

    /// <summary>
    /// The attempt succeeded, so the whole body was read. Only a first attempt gives the buffer back
    /// to the pool: after a failure the handler may still be sending the body of an earlier attempt
    /// in the background (a server may answer before reading it all), and a pooled array would then
    /// be read while someone else writes into it. Such a buffer is left to the GC.
    /// </summary>
    public void Succeeded() => _returnBodyToPool = _attempts == 1;

    public string DescribeOperation(int index) =>
        index == 0 ? $"the state row '{Rows[0].RowKey}'" : $"log row '{Rows[index].RowKey}'";

    public void Dispose()
    {
        if (_returnBodyToPool)
        {
            _body.Dispose();
        }
    }
}
