using AscCollab.Text;

namespace AscCollab.Grains.Tests;

/// <summary>
/// Storage that lost acknowledged changes while the node that committed them is gone too (Azurite and the
/// node dying together): the new activation only has storage. A client holding more than storage is refused
/// with revision_lost — also once the lost revision numbers were given to other edits — and the loss is
/// logged Critical; it is never merged onto other content.
/// </summary>
public sealed class RevisionLossTests
{
    [Fact]
    public async Task A_client_ahead_of_storage_is_refused_with_revision_lost_and_the_loss_is_logged_critical()
    {
        var storage = new TestStorage();
        await using var host = await GrainsHost.StartAsync(storage: storage);
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "base");
        await Drafts.Circulate(host, id);
        var proposal = host.Proposal(id);
        await proposal.SubmitEdit(Callers.Delegate("SG"), 0, TextOperation.Insert(4, " one")).Within();
        var saved = storage.Save();
        var two = await proposal.SubmitEdit(Callers.Delegate("PH"), 1, TextOperation.Insert(8, " two")).Within();
        var three = await proposal.SubmitEdit(Callers.Delegate("PH"), 2, TextOperation.Insert(12, " three")).Within();

        // Storage goes back and the node goes with it: the next activation has only storage.
        storage.RollBack(saved);
        await host.Deactivate(proposal);
        proposal = host.Proposal(id);
        Assert.Equal(1, (await proposal.Open(Callers.Delegate("PH")).Within()).Revision);

        var resync = await Assert.ThrowsAsync<DomainException>(() => proposal.Resync(Callers.Delegate("PH"), 3, three.Op, null).Within());
        var since = await Assert.ThrowsAsync<DomainException>(() => proposal.GetEditsSince(Callers.Delegate("PH"), 3).Within());
        var edit = await Assert.ThrowsAsync<DomainException>(() => proposal.SubmitEdit(Callers.Delegate("PH"), 3, TextOperation.Insert(0, ">")).Within());
        var signOff = await Assert.ThrowsAsync<DomainException>(() => proposal.SignOff(Callers.Delegate("PH"), new SignOffRequest("PH", Position.Concur, null, 3)).Within());

        Assert.All([resync, since, edit, signOff], e => Assert.Equal(DomainErrorCodes.RevisionLost, e.Code));
        Assert.Contains("only up to revision 1", resync.Message, StringComparison.Ordinal);
        // Once per claimed revision, however many times it is claimed.
        var critical = host.Logs.Lines.Where(l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains("lost acknowledged changes", StringComparison.Ordinal)).ToList();
        Assert.Single(critical);
        Assert.Contains("holds revision 3", critical[0], StringComparison.Ordinal);
        // Nothing was applied by the refusals.
        Assert.Equal("base one", (await proposal.Open(Callers.Delegate("SG")).Within()).Text);
        Assert.Equal(2, two.Revision);
        // And it is an integrity incident: one, however many claims, open until the secretariat acknowledges it.
        var registry = host.Factory.GetGrain<IIntegrityGrain>(IIntegrityGrain.Key);
        await Timeouts.Eventually(async () => (await registry.Status()).Open == 1, "the loss is in the integrity registry");
        var incident = Assert.Single(await registry.List(Callers.Secretariat).Within());
        Assert.Equal((IntegrityIncidentKinds.StorageLost, id, "revisions after 1", "reconnect"), (incident.Kind, incident.ProposalId, incident.Location, incident.Reporter));
        Assert.Contains("PH came back holding revision 3", incident.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lost_revision_given_again_to_another_edit_is_not_merged_onto_the_client_that_held_it()
    {
        var storage = new TestStorage();
        await using var host = await GrainsHost.StartAsync(storage: storage);
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "base");
        await Drafts.Circulate(host, id);
        var proposal = host.Proposal(id);
        await proposal.SubmitEdit(Callers.Delegate("SG"), 0, TextOperation.Insert(4, " one")).Within();
        var saved = storage.Save();
        var lost = await proposal.SubmitEdit(Callers.Delegate("PH"), 1, TextOperation.Insert(8, " two")).Within();
        // A client that opened the proposal at the lost revision and has no edit of its own for it.
        var openedAtLost = await proposal.Open(Callers.Delegate("TH")).Within();

        storage.RollBack(saved);
        await host.Deactivate(proposal);
        proposal = host.Proposal(id);
        // Another delegation edits first: revision 2 now names other content.
        var reused = await proposal.SubmitEdit(Callers.Delegate("VN"), 1, TextOperation.Insert(0, ">")).Within();
        Assert.Equal(lost.Revision, reused.Revision);

        var byOp = await Assert.ThrowsAsync<DomainException>(() => proposal.Resync(Callers.Delegate("PH"), 2, lost.Op, null).Within());
        var byText = await Assert.ThrowsAsync<DomainException>(() => proposal.Resync(Callers.Delegate("TH"), 2, null, openedAtLost.TextHash).Within());
        Assert.Equal((DomainErrorCodes.RevisionLost, DomainErrorCodes.RevisionLost), (byOp.Code, byText.Code));
        Assert.Contains("given again", byOp.Message, StringComparison.Ordinal);

        // A client that holds revision 2 as storage has it is served as usual.
        var current = await proposal.Open(Callers.Delegate("VN")).Within();
        Assert.Empty(await proposal.Resync(Callers.Delegate("VN"), 2, reused.Op, null).Within());
        Assert.Empty(await proposal.Resync(Callers.Delegate("VN"), 2, null, current.TextHash).Within());
        var after = await proposal.Resync(Callers.Delegate("VN"), 1, null, null).Within();
        Assert.Equal([2L], after.Select(e => e.Revision));
        Assert.Equal(">base one", current.Text);
    }
}
