using System.Globalization;

namespace AscCollab.Storage.AzureTable.Tests;

/// <summary>Shared Key signing and endpoint resolution, checked against requests the SDK signed (captured from its traffic to Azurite).</summary>
public sealed class TableSharedKeyTests
{
    private static readonly TableSharedKey Devstore = new("devstoreaccount1", Convert.FromBase64String(AzuriteFixture.DevelopmentAccountKey));

    [Theory]
    [InlineData("POST", "application/json", "Mon, 23 Nov 2026 03:34:59 GMT", "/devstoreaccount1/devstoreaccount1/capt23fe53ff()",
        "pFIYW/NCLCh4wXBJehysO4fJ5E6Jl/ufPp6yObLYlpw=")]
    [InlineData("POST", "multipart/mixed; boundary=batch_b21a2f62-0e98-4b3d-bbec-53887ca882bd", "Mon, 23 Nov 2026 03:34:59 GMT", "/devstoreaccount1/devstoreaccount1/$batch",
        "3NcqMDMsN/FYIvTSvcwrM+RySwNAGOaAKSr+Pw9q/RU=")]
    [InlineData("PUT", "application/json", "Mon, 23 Nov 2026 03:35:00 GMT", "/devstoreaccount1/devstoreaccount1/capt23fe53ff(PartitionKey='p%7Ca''b%20c%252F',RowKey='state%7Cmain')",
        "/w6UQTxVocvkCpUb0xsQcmPnTkzRAH2bVzIf6/+pQ2o=")]
    public void The_signature_matches_what_the_sdk_sent(string method, string contentType, string date, string resource, string signature)
    {
        Assert.Equal("SharedKey devstoreaccount1:" + signature, Devstore.Authorization(method, contentType, date, resource));
    }

    [Fact]
    public void A_long_resource_is_signed_without_truncation()
    {
        var resource = "/devstoreaccount1/devstoreaccount1/t(PartitionKey='" + new string('k', 1500) + "',RowKey='r')";

        var signed = Devstore.Authorization("PUT", "application/json", "Mon, 23 Nov 2026 03:35:00 GMT", resource);

        Assert.NotEqual(signed, Devstore.Authorization("PUT", "application/json", "Mon, 23 Nov 2026 03:35:00 GMT", resource + "x"));
    }

    [Fact]
    public void The_date_is_RFC_1123_in_UTC_and_current()
    {
        var now = DateTimeOffset.ParseExact(TableSharedKey.Now(), "r", CultureInfo.InvariantCulture);

        Assert.InRange(now, DateTimeOffset.UtcNow.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public void A_path_style_endpoint_signs_the_account_twice()
    {
        var writer = new TableRestWriter(AzuriteFixture.ConnectionStringFor(12345), "tgrains");

        Assert.Equal("http://127.0.0.1:12345/devstoreaccount1/$batch", writer.BatchUri.AbsoluteUri);
        Assert.Equal("/devstoreaccount1/devstoreaccount1/$batch", writer.BatchResource);
    }

    [Fact]
    public void Development_storage_resolves_to_the_emulator_endpoint_and_account()
    {
        var writer = new TableRestWriter("UseDevelopmentStorage=true", "tgrains");

        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1/$batch", writer.BatchUri.AbsoluteUri);
        Assert.Equal("/devstoreaccount1/devstoreaccount1/$batch", writer.BatchResource);
    }

    [Fact]
    public void An_account_with_endpoint_suffix_signs_the_host_style_path()
    {
        var writer = new TableRestWriter($"DefaultEndpointsProtocol=https;AccountName=myaccount;AccountKey={AzuriteFixture.DevelopmentAccountKey};EndpointSuffix=core.windows.net", "tgrains");

        Assert.Equal("https://myaccount.table.core.windows.net/$batch", writer.BatchUri.AbsoluteUri);
        Assert.Equal("/myaccount/$batch", writer.BatchResource);
    }

    [Fact]
    public void A_sas_connection_string_authorizes_through_the_query_and_signs_nothing()
    {
        var writer = new TableRestWriter("TableEndpoint=https://myaccount.table.core.windows.net/;SharedAccessSignature=sv=2017-07-29&ss=t&srt=sco&sp=rwdlacu&se=2030-01-01T00:00:00Z&sig=abc%2Bdef%3D", "tgrains");

        Assert.Equal("https://myaccount.table.core.windows.net/$batch", writer.BatchUri.GetLeftPart(UriPartial.Path));
        Assert.Contains("sig=abc%2Bdef%3D", writer.BatchUri.Query, StringComparison.Ordinal);
        Assert.Null(writer.BatchResource);
    }
}
