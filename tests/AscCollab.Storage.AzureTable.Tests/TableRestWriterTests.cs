using System.Net;
using System.Text;
using System.Text.Json;

namespace AscCollab.Storage.AzureTable.Tests;

/// <summary>What the REST writer puts on the wire, captured before it leaves the process.</summary>
public sealed class TableRestWriterTests
{
    private const string PartitionKey = "proposal|k'1 ü";
    private const string ETag = "W/\"datetime'2026-11-23T03%3A42%3A40.7454146Z'\"";
    private static readonly string ConnectionString = AzuriteFixture.ConnectionStringFor(10002);

    private sealed record Sent(HttpMethod Method, Uri Uri, Dictionary<string, string> Headers, byte[] Body);

    /// <summary>Records each request and answers it as Azure does when all operations succeed.</summary>
    private sealed class Recorder : HttpMessageHandler
    {
        public List<Sent> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Unvalidated: the values exactly as they go out (and as they were signed).
            var headers = request.Headers.NonValidated.Concat(request.Content!.Headers.NonValidated).ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            Requests.Add(new Sent(request.Method, request.RequestUri!, headers, body));
            if (request.RequestUri!.AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal))
            {
                var parts = Encoding.ASCII.GetString(body).Split("Content-Type: application/http").Length - 1;
                var answer = new StringBuilder("--batchresponse_r\r\nContent-Type: multipart/mixed; boundary=changesetresponse_r\r\n\r\n");
                for (var i = 0; i < parts; i++)
                {
                    answer.Append("--changesetresponse_r\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP/1.1 204 No Content\r\nETag: W/\"etag-").Append(i).Append("\"\r\n\r\n\r\n");
                }

                return new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new StringContent(answer.Append("--changesetresponse_r--\r\n--batchresponse_r--\r\n").ToString()) };
            }

            var response = new HttpResponseMessage(HttpStatusCode.NoContent);
            response.Headers.TryAddWithoutValidation("ETag", "W/\"etag-single\"");
            return response;
        }
    }

    private static TableRow Row(string rowKey, string json) => new(rowKey, json, Encoding.UTF8.GetByteCount(json));

    private static void AssertSigned(Sent sent, string canonicalizedResource)
    {
        var key = new TableSharedKey("devstoreaccount1", Convert.FromBase64String(AzuriteFixture.DevelopmentAccountKey));
        Assert.Equal(key.Authorization(sent.Method.Method, sent.Headers["Content-Type"], sent.Headers["x-ms-date"], canonicalizedResource), sent.Headers["Authorization"]);
        Assert.Equal(TableRestWriter.ApiVersion, sent.Headers["x-ms-version"]);
        Assert.Equal("application/json;odata=nometadata", sent.Headers["Accept"]);
        Assert.Equal("3.0", sent.Headers["DataServiceVersion"]);
    }

    [Fact]
    public async Task A_batch_is_one_signed_changeset_with_the_state_first()
    {
        var recorder = new Recorder();
        var writer = new TableRestWriter(ConnectionString, "tgrains", new HttpMessageInvoker(recorder));
        using var request = writer.Prepare(PartitionKey, [Row("state|doc", "{\"v\":2}"), Row("op|000000001", "\"ü\""), Row("op|000000002", "2")], ETag);

        var etag = await writer.SendAsync(request, default).WithTimeout();

        Assert.Equal("W/\"etag-0\"", etag);
        var sent = Assert.Single(recorder.Requests);
        Assert.Equal((HttpMethod.Post, "http://127.0.0.1:10002/devstoreaccount1/$batch"), (sent.Method, sent.Uri.AbsoluteUri));
        AssertSigned(sent, "/devstoreaccount1/devstoreaccount1/$batch");
        var boundary = sent.Headers["Content-Type"]["multipart/mixed; boundary=".Length..];
        Assert.Matches("^batch_[0-9a-f]{32}$", boundary);

        var body = Encoding.ASCII.GetString(sent.Body);
        Assert.True(sent.Body.All(b => b < 0x80), "the body is ASCII");
        Assert.StartsWith($"--{boundary}\r\nContent-Type: multipart/mixed; boundary=changeset_", body, StringComparison.Ordinal);
        Assert.EndsWith($"--{boundary}--\r\n", body, StringComparison.Ordinal);
        var put = body.IndexOf("PUT http://127.0.0.1:10002/devstoreaccount1/tgrains(PartitionKey='proposal%7Ck''1%20%C3%BC',RowKey='state%7Cdoc') HTTP/1.1\r\n", StringComparison.Ordinal);
        var posts = body.Split("POST http://127.0.0.1:10002/devstoreaccount1/tgrains HTTP/1.1\r\n").Length - 1;
        Assert.True(put > 0 && put < body.IndexOf("POST ", StringComparison.Ordinal), "the state's Replace is the first operation");
        Assert.Equal(2, posts);
        Assert.Contains($"If-Match: {ETag}\r\n\r\n{{\"n\":1,\"d0\":\"eyJ2IjoyfQ==\",\"d0@odata.type\":\"Edm.Binary\"}}\r\n", body, StringComparison.Ordinal);
        Assert.Contains("{\"PartitionKey\":\"proposal|k\\u00271 \\u00FC\",\"RowKey\":\"op|000000001\",\"n\":1,\"d0\":\"IsO8Ig==\",\"d0@odata.type\":\"Edm.Binary\"}", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_replace_puts_the_keys_into_the_signed_path_and_the_etag_into_If_Match()
    {
        var recorder = new Recorder();
        var writer = new TableRestWriter(ConnectionString, "tgrains", new HttpMessageInvoker(recorder));
        using var request = writer.Prepare(PartitionKey, [Row("state|doc", "{}")], ETag);

        Assert.Equal("W/\"etag-single\"", await writer.SendAsync(request, default).WithTimeout());

        var sent = Assert.Single(recorder.Requests);
        Assert.Equal(HttpMethod.Put, sent.Method);
        Assert.Equal("/devstoreaccount1/tgrains(PartitionKey='proposal%7Ck''1%20%C3%BC',RowKey='state%7Cdoc')", sent.Uri.AbsolutePath);
        AssertSigned(sent, "/devstoreaccount1" + sent.Uri.AbsolutePath);
        Assert.Equal(ETag, sent.Headers["If-Match"]);
        Assert.Equal("{\"n\":1,\"d0\":\"e30=\",\"d0@odata.type\":\"Edm.Binary\"}", Encoding.ASCII.GetString(sent.Body));
    }

    [Fact]
    public async Task A_single_insert_posts_keys_and_chunks_of_at_most_64_KiB()
    {
        var recorder = new Recorder();
        var writer = new TableRestWriter(ConnectionString, "tgrains", new HttpMessageInvoker(recorder));
        var json = "\"" + string.Concat(Enumerable.Repeat("ความมั่นคง ", 3000)) + "\"";
        using var request = writer.Prepare(PartitionKey, [Row("state|doc", json)], null);

        await writer.SendAsync(request, default).WithTimeout();

        var sent = Assert.Single(recorder.Requests);
        Assert.Equal((HttpMethod.Post, "/devstoreaccount1/tgrains"), (sent.Method, sent.Uri.AbsolutePath));
        AssertSigned(sent, "/devstoreaccount1/devstoreaccount1/tgrains");
        Assert.Equal("return-no-content", sent.Headers["Prefer"]);
        using var entity = JsonDocument.Parse(sent.Body);
        var root = entity.RootElement;
        Assert.Equal((PartitionKey, "state|doc", 2), (root.GetProperty("PartitionKey").GetString(), root.GetProperty("RowKey").GetString(), root.GetProperty("n").GetInt32()));
        Assert.Equal("Edm.Binary", root.GetProperty("d1@odata.type").GetString());
        var d0 = root.GetProperty("d0").GetBytesFromBase64();
        Assert.Equal(ChunkedJson.MaxChunkBytes, d0.Length);
        byte[] joined = [.. d0, .. root.GetProperty("d1").GetBytesFromBase64()];
        Assert.Equal(Encoding.UTF8.GetBytes(json), joined);
    }

    [Fact]
    public async Task A_retry_sends_the_same_body_signed_again()
    {
        var recorder = new Recorder();
        var writer = new TableRestWriter(ConnectionString, "tgrains", new HttpMessageInvoker(recorder));
        using var request = writer.Prepare(PartitionKey, [Row("state|doc", "{}"), Row("op|000000001", "1")], null);

        await writer.SendAsync(request, default).WithTimeout();
        await writer.SendAsync(request, default).WithTimeout();

        Assert.Equal(recorder.Requests[0].Body, recorder.Requests[1].Body);
        Assert.All(recorder.Requests, sent => AssertSigned(sent, "/devstoreaccount1/devstoreaccount1/$batch"));
        Assert.Contains("POST http://127.0.0.1:10002/devstoreaccount1/tgrains HTTP/1.1", Encoding.ASCII.GetString(recorder.Requests[0].Body).Split("--changeset_")[1], StringComparison.Ordinal);
    }
}
