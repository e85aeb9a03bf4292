using System.Text;

namespace AscCollab.Storage.AzureTable.Tests;

/// <summary>Batch answers in the form Azure documents (Azurite's are covered by the tests against it).</summary>
public sealed class TableWriteResponseTests
{
    private static readonly TableWriteRequest Batch = Request(3);

    private static TableWriteRequest Request(int rows) =>
        new(HttpMethod.Post, new Uri("http://127.0.0.1:1/devstoreaccount1/$batch"), null, "multipart/mixed; boundary=batch_x", new PooledBuffer(16), null,
            [new TableRow("state|doc", "{}", 2), .. Enumerable.Range(1, rows - 1).Select(i => new TableRow($"op|{i:D9}", "{}", 2))]);

    private static byte[] Answer(string newline, params string[] parts)
    {
        var body = new StringBuilder()
            .Append("--batchresponse_b").Append(newline)
            .Append("Content-Type: multipart/mixed; boundary=changesetresponse_c").Append(newline).Append(newline);
        foreach (var part in parts)
        {
            body.Append("--changesetresponse_c").Append(newline)
                .Append("Content-Type: application/http").Append(newline)
                .Append("Content-Transfer-Encoding: binary").Append(newline).Append(newline)
                .Append(part.ReplaceLineEndings(newline)).Append(newline);
        }

        return Encoding.UTF8.GetBytes(body.Append("--changesetresponse_c--").Append(newline).Append("--batchresponse_b--").Append(newline).ToString());
    }

    private static string Success(int i) =>
        $"HTTP/1.1 204 No Content\nContent-ID: {i + 1}\nX-Content-Type-Options: nosniff\nCache-Control: no-cache\nDataServiceVersion: 3.0;\netag: W/\"datetime'2026-11-23T03%3A42%3A40.745414{i}Z'\"\n";

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    public void Success_yields_the_etag_of_the_first_operation(string newline)
    {
        var etag = TableWriteResponse.StateETag(Answer(newline, Success(0), Success(1), Success(2)), Batch);

        Assert.Equal("W/\"datetime'2026-11-23T03%3A42%3A40.7454140Z'\"", etag);
    }

    [Fact]
    public void A_failed_operation_yields_its_status_code_and_row()
    {
        var failed = "HTTP/1.1 409 Conflict\nContent-ID: 3\nContent-Type: application/json;odata=minimalmetadata;streaming=true;charset=utf-8\n\n" +
            """{"odata.error":{"code":"EntityAlreadyExists","message":{"lang":"en-US","value":"2:The specified entity already exists.\nRequestId:5e3f1b0a\nTime:2026-11-23T03:42:40.757Z"}}}""";

        var error = Assert.Throws<TableRestException>(() => TableWriteResponse.StateETag(Answer("\r\n", failed), Batch));

        Assert.Equal((409, "EntityAlreadyExists"), (error.Status, error.ErrorCode));
        Assert.Equal("log row 'op|000000002' (operation 2 of 3 in one transaction) failed: The specified entity already exists. RequestId:5e3f1b0a Time:2026-11-23T03:42:40.757Z", error.Message);
        Assert.False(TableConnection.IsTransient(error, attemptTimedOut: false));
    }

    [Fact]
    public void A_transient_status_inside_the_changeset_is_retried()
    {
        var failed = "HTTP/1.1 503 Service Unavailable\nContent-Type: application/json\n\n" +
            """{"odata.error":{"code":"ServerBusy","message":{"lang":"en-US","value":"0:The server is busy."}}}""";

        var error = Assert.Throws<TableRestException>(() => TableWriteResponse.StateETag(Answer("\r\n", failed), Batch));

        Assert.True(TableConnection.IsTransient(error, attemptTimedOut: false));
        Assert.Contains("HTTP 503 ServerBusy the state row 'state|doc'", TableConnection.Describe(error), StringComparison.Ordinal);
    }

    [Fact]
    public void Fewer_parts_than_operations_is_an_unexpected_answer()
    {
        var error = Assert.Throws<TableRestException>(() => TableWriteResponse.StateETag(Answer("\r\n", Success(0), Success(1)), Batch));

        Assert.Equal((202, "UnexpectedResponse"), (error.Status, error.ErrorCode));
        Assert.False(TableConnection.IsTransient(error, attemptTimedOut: false));
    }

    [Fact]
    public void An_error_without_json_keeps_the_header_code_and_the_raw_text()
    {
        var body = "<html><body>Bad gateway</body></html>"u8;

        var error = TableWriteResponse.Failure(502, "GatewayFailure", body, Request(1));

        Assert.Equal((502, "GatewayFailure"), (error.Status, error.ErrorCode));
        Assert.Equal("the state row 'state|doc' failed: <html><body>Bad gateway</body></html>", error.Message);
        Assert.True(TableConnection.IsTransient(error, attemptTimedOut: false));
    }
}
