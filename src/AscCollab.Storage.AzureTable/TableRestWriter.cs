using System.Net;
using System.Text;
using Microsoft.Azure.Cosmos.Table;

namespace AscCollab.Storage.AzureTable;

/// <summary>
/// The write path of the grain storage as hand-built Azure Table REST requests: a single
/// Insert/Replace, or an entity-group transaction (<c>POST $batch</c>, multipart/mixed, one
/// changeset). Every edit is one such write, and the SDK's batch machinery (OData writer,
/// request factory, response parsing) cost several times the CPU of these few hundred lines.
/// Everything else (reads, queries, deletes, table creation, reminders) stays on the SDK.
/// Wire format, authorization and error mapping: docs/storage.md.
/// </summary>
internal sealed class TableRestWriter
{
    /// <summary>The API version the SDK (Cosmos.Table 1.0.8) sends; Azurite runs with --skipApiVersionCheck.</summary>
    public const string ApiVersion = "2017-07-29";

    private const string JsonNoMetadata = "application/json;odata=nometadata";
    private const string JsonContentType = "application/json";

    // One client for the process: pooled keep-alive connections to every account we write to.
    // HttpMessageInvoker is HttpClient without its timeout and buffering layers: each attempt is
    // bounded by TableConnection (RequestTimeout) through its token, and responses are read here.
    private static readonly HttpMessageInvoker s_sharedClient = new(new SocketsHttpHandler
    {
        // Re-resolve DNS now and then (Azure front ends move); idle connections are dropped by the pool.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
    });

    private readonly HttpMessageInvoker _client;
    private readonly byte[] _tableUrlUtf8;
    private readonly string _query;
    private readonly Uri _insertUri;
    private readonly Uri _batchUri;
    private readonly string? _insertResource;
    private readonly string? _batchResource;
    private readonly TableSharedKey? _sharedKey;

    public TableRestWriter(string connectionString, string tableName)
        : this(connectionString, tableName, s_sharedClient)
    {
    }

    /// <summary>Tests pass a client whose handler captures the requests and answers them as Azure would.</summary>
    internal TableRestWriter(string connectionString, string tableName, HttpMessageInvoker client)
    {
        _client = client;
        var account = CloudStorageAccount.Parse(connectionString);
        var credentials = account.Credentials;
        if (credentials.IsSharedKey)
        {
            _sharedKey = new TableSharedKey(credentials.AccountName, Convert.FromBase64String(credentials.Key));
            _query = "";
        }
        else
        {
            // A SAS authorizes through the query; an anonymous endpoint needs nothing.
            _query = credentials.IsSAS ? "?" + credentials.SASToken.TrimStart('?') : "";
        }

        var endpoint = (account.TableEndpoint ?? throw new ArgumentException("The connection string has no table endpoint.", nameof(connectionString))).AbsoluteUri.TrimEnd('/');
        var tableUrl = endpoint + "/" + tableName;
        _tableUrlUtf8 = Encoding.UTF8.GetBytes(tableUrl);
        _insertUri = new Uri(tableUrl + _query);
        _batchUri = new Uri(endpoint + "/$batch" + _query);
        _insertResource = _sharedKey?.CanonicalizedResource(_insertUri);
        _batchResource = _sharedKey?.CanonicalizedResource(_batchUri);
    }

    internal Uri BatchUri => _batchUri;

    internal string? BatchResource => _batchResource;

    /// <summary>
    /// Builds the request for <paramref name="rows"/> (the state row first, then log rows, all of
    /// <paramref name="partitionKey"/>, limits already checked): the state is inserted when
    /// <paramref name="expectedETag"/> is null, else replaced under it; log rows are inserted.
    /// One row goes out as a single request, more as one entity-group transaction.
    /// </summary>
    public TableWriteRequest Prepare(string partitionKey, TableRow[] rows, string? expectedETag)
    {
        using var body = new TableWriteBody(partitionKey, rows, _tableUrlUtf8.Length);
        try
        {
            if (rows.Length > 1)
            {
                var boundary = body.WriteBatch(_tableUrlUtf8, partitionKey, rows, expectedETag);
                return new TableWriteRequest(HttpMethod.Post, _batchUri, _batchResource, "multipart/mixed; boundary=" + boundary, body.Buffer, null, rows);
            }

            if (expectedETag is null)
            {
                body.WriteEntity(partitionKey, rows[0]);
                return new TableWriteRequest(HttpMethod.Post, _insertUri, _insertResource, JsonContentType, body.Buffer, null, rows);
            }

            body.WriteEntity(null, rows[0]);
            var uri = EntityUri(partitionKey, rows[0].RowKey);
            return new TableWriteRequest(HttpMethod.Put, uri, _sharedKey?.CanonicalizedResource(uri), JsonContentType, body.Buffer, expectedETag, rows);
        }
        catch
        {
            body.Buffer.Dispose();
            throw;
        }
    }

    /// <summary>Sends one attempt of <paramref name="write"/>; returns the state row's new ETag or throws <see cref="TableRestException"/> (or a network failure).</summary>
    public async Task<string> SendAsync(TableWriteRequest write, CancellationToken cancellationToken)
    {
        write.BeginAttempt();
        using var request = new HttpRequestMessage(write.Method, write.Uri) { Content = new ReadOnlyMemoryContent(write.Body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", write.ContentType);
        var headers = request.Headers;
        var date = TableSharedKey.Now();
        headers.TryAddWithoutValidation("x-ms-date", date);
        headers.TryAddWithoutValidation("x-ms-version", ApiVersion);
        headers.TryAddWithoutValidation("DataServiceVersion", "3.0");
        headers.TryAddWithoutValidation("MaxDataServiceVersion", "3.0;NetFx");
        headers.TryAddWithoutValidation("Accept", JsonNoMetadata);
        if (write.IfMatch is not null)
        {
            headers.TryAddWithoutValidation("If-Match", write.IfMatch);
        }
        else if (!write.IsBatch)
        {
            headers.TryAddWithoutValidation("Prefer", "return-no-content");
        }

        if (_sharedKey is not null)
        {
            headers.TryAddWithoutValidation("Authorization", _sharedKey.Authorization(write.Method.Method, write.ContentType, date, write.CanonicalizedResource!));
        }

        using var response = await _client.SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        if (!write.IsBatch && status is >= 200 and < 300)
        {
            write.Succeeded();
            return response.Headers.NonValidated.TryGetValues("ETag", out var etag)
                ? etag.ToString()
                : throw new TableRestException(status, "UnexpectedResponse", $"{write.DescribeOperation(0)} was written but the answer carries no ETag.");
        }

        using var body = await ReadBodyAsync(response, cancellationToken);
        if (write.IsBatch && status == (int)HttpStatusCode.Accepted)
        {
            write.Succeeded();
            return TableWriteResponse.StateETag(body.WrittenSpan, write);
        }

        var errorCode = response.Headers.NonValidated.TryGetValues("x-ms-error-code", out var code) ? code.ToString() : null;
        throw TableWriteResponse.Failure(status, errorCode, body.WrittenSpan, write);
    }

    private Uri EntityUri(string partitionKey, string rowKey)
    {
        using var url = new PooledBuffer(_tableUrlUtf8.Length + 64 + (9 * (partitionKey.Length + rowKey.Length)) + _query.Length);
        url.Write(_tableUrlUtf8);
        TableWriteBody.WriteEntityKeys(url, partitionKey, rowKey);
        url.WriteAscii(_query);
        return new Uri(Encoding.ASCII.GetString(url.WrittenSpan));
    }

    private static async Task<PooledBuffer> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new PooledBuffer((int)Math.Min(response.Content.Headers.ContentLength ?? 4096, 1024 * 1024));
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using (stream)
            {
                int read;
                while ((read = await stream.ReadAsync(buffer.GetMemory(4096), cancellationToken)) > 0)
                {
                    buffer.Advance(read);
                }
            }

            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }
}
