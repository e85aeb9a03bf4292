using System.Net.Http.Headers;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace AscCollab.Server.Tests;

/// <summary>
/// The Development signing key is kept in storage: a token issued by one node is accepted by every
/// node of the same deployment (same storage and table prefix) and after a restart; deleting the
/// key's row rotates it.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class DevTokenTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_dev_token_survives_a_restart_and_no_other_deployment_accepts_it()
    {
        string token;
        string prefix;
        await using (var first = new AscCollabApp(azurite))
        {
            prefix = first.TablePrefix;
            token = (await first.CreateClient().PostJson("/api/dev/token", new { member = "MY", role = "delegate" })).Str("token");
        }

        await using var restarted = new AscCollabApp(azurite, prefix);
        await Authorized(restarted, token).GetJson("/api/activities");

        await using var other = new AscCollabApp(azurite);
        await Authorized(other, token).ProblemFromGet("/api/activities", 401, "unauthorized");
    }

    [Fact]
    public async Task Deleting_the_key_row_rotates_the_key_at_the_next_start()
    {
        string token;
        string prefix;
        await using (var first = new AscCollabApp(azurite))
        {
            prefix = first.TablePrefix;
            token = (await first.CreateClient().PostJson("/api/dev/token", new { member = "MY", role = "delegate" })).Str("token");
        }

        var table = new TableClient(azurite.ConnectionString, prefix + DevSigningKeyStore.TableSuffix);
        await table.DeleteEntityAsync(DevSigningKeyStore.PartitionKey, DevSigningKeyStore.RowKey).WithTimeout();

        await using var restarted = new AscCollabApp(azurite, prefix);
        await Authorized(restarted, token).ProblemFromGet("/api/activities", 401, "unauthorized");
        var fresh = await restarted.ClientFor("MY");
        await fresh.GetJson("/api/activities");
    }

    [Fact]
    public async Task Nodes_starting_together_agree_on_one_key()
    {
        var tableName = AzuriteFixture.NewTablePrefix() + DevSigningKeyStore.TableSuffix;
        var stores = Enumerable.Range(0, 4).Select(_ => new DevSigningKeyStore(new TableClient(azurite.ConnectionString, tableName)));

        var keys = await Task.WhenAll(stores.Select(s => s.GetOrCreateAsync(CancellationToken.None))).WithTimeout();

        Assert.Single(keys.Select(k => Convert.ToHexString(k.Key)).Distinct());
        Assert.Equal(DevSigningKeyStore.KeyBytes, keys[0].Key.Length);
        Assert.Single(keys, k => k.Created);
    }

    [Fact]
    public async Task A_node_whose_storage_does_not_answer_does_not_start_and_names_the_setting()
    {
        // A well-formed connection string to a port nobody listens on.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [GrainHosting.StorageVariable] = AzuriteFixture.ConnectionStringFor(FreePorts.Next()) })
            .Build();
        var loader = new DevSigningKeyLoader(new DevSigningKey(), configuration, NullLogger<DevSigningKeyLoader>.Instance);

        var error = await Assert.ThrowsAsync<StartupException>(() => loader.StartingAsync(CancellationToken.None)).WithTimeout();

        Assert.Contains("ASCCOLLAB_STORAGE", error.Message, StringComparison.Ordinal);
        Assert.Contains("devkeys", error.Message, StringComparison.Ordinal);
    }

    private static HttpClient Authorized(AscCollabApp app, string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
