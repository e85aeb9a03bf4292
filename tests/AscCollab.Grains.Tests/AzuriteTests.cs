using AscCollab.Storage.AzureTable;
using AscCollab.Testing;
using AscCollab.Text;
using Azure.Data.Tables;
using Orleans.Hosting;

namespace AscCollab.Grains.Tests;

[CollectionDefinition(AzuriteFixture.Collection)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;

/// <summary>
/// The grains on real Azure Table storage (Azurite), configured as the server configures them: Orleans'
/// Azure Table grain storage for plain state, <see cref="AzureTableLogStorage"/> for the proposals.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class AzuriteTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_proposal_its_edits_and_plain_state_survive_a_restart_of_the_cluster()
    {
        var prefix = AzuriteFixture.NewTablePrefix();
        var time = new ManualTime(GrainsHost.Start);
        var storage = new TestStorage();
        string id;
        string group;
        ProposalSnapshot before;
        await using (var first = await StartAsync(time, storage, prefix))
        {
            group = await Drafts.Group(first, "PH", "PH", "VN");
            id = await Drafts.Create(first, Callers.Delegate("PH"), group, text: "base");
            var proposal = first.Proposal(id);
            await proposal.SubmitTrackedEdit(Callers.Delegate("VN"), 0, TextOperation.Insert(4, "!"), "op-1").Within();
            await Task.WhenAll(Enumerable.Range(0, 5).Select(i => proposal.SubmitEdit(Callers.Delegate("PH"), 1, TextOperation.Insert(0, $"{i}")))).Within();
            before = await proposal.Open(Callers.Delegate("PH")).Within();
            Assert.Equal(6, before.Revision);
        }

        // Nothing of the first cluster's memory is left; only the tables are.
        Assert.Equal(0, storage.WritesOf(GrainId.Create("proposal", id)));
        await using var second = await StartAsync(time, new TestStorage(), prefix);
        var reloaded = second.Proposal(id);
        var after = await reloaded.Open(Callers.Delegate("PH")).Within();
        Assert.Equal((before.Revision, before.Text, before.TextHash), (after.Revision, after.Text, after.TextHash));
        var edits = await reloaded.GetEditsSince(Callers.Delegate("PH"), 0).Within();
        Assert.Equal(Enumerable.Range(1, 6).Select(r => (long)r), edits.Select(e => e.Revision));
        Assert.Equal(after.Text, edits.Aggregate("base", (doc, e) => e.Op.Apply(doc)));
        Assert.True((await reloaded.VerifyAudit(Callers.Secretariat).Within()).Intact);
        Assert.Equal(1, (await reloaded.SubmitTrackedEdit(Callers.Delegate("VN"), 0, TextOperation.Insert(4, "!"), "op-1").Within()).Revision);

        // Plain grain state (the group, Orleans' Azure Table grain storage) came back too.
        var info = await second.Group(group).Get().Within();
        Assert.Equal("PH", info.Coordinator);
        Assert.Contains(await second.Group(group).GetConsensus(Callers.Chair).Within(), p => p.ProposalId == id);
    }

    private Task<GrainsHost> StartAsync(ManualTime time, TestStorage storage, string prefix) =>
        GrainsHost.StartAsync(time, storage, storageOverride: silo =>
        {
            var connectionString = azurite.ConnectionString;
            silo.AddAzureTableGrainStorage(DomainRegistration.StateStorage, o =>
            {
                o.TableServiceClient = new TableServiceClient(connectionString);
                o.TableName = prefix + "state";
                o.GrainStorageSerializer = new StateJsonSerializer();
            });
            silo.Services.AddAzureTableLogStorage(DomainRegistration.ProposalStorage, o =>
            {
                o.ConnectionString = connectionString;
                o.TablePrefix = prefix;
            });
        });
}
