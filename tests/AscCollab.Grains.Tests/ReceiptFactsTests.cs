using AscCollab.Text;

namespace AscCollab.Grains.Tests;

/// <summary>
/// The facts a receipt is signed over: those of the committed act, stored with it in the same write,
/// read back after a reactivation, and written again when storage lost them.
/// </summary>
public sealed class ReceiptFactsTests
{
    [Fact]
    public async Task A_sign_off_answers_with_the_facts_of_its_commit_and_they_are_stored_with_it()
    {
        var storage = new TestStorage();
        await using var host = await GrainsHost.StartAsync(storage: storage);
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        var circulated = await Drafts.Circulate(host, id);
        Assert.Null(circulated.Receipt);

        var signed = await Drafts.Sign(host, id, "TH", Position.Object, reason: "  Needs a review clause.  ");

        var facts = Assert.IsType<ReceiptFacts>(signed.Receipt);
        var audit = await host.Proposal(id).GetAudit(Callers.Delegate("TH")).Within();
        Assert.Equal((id, ReceiptAct.SignOff, "TH", (Position?)Position.Object), (facts.ProposalId, facts.Act, facts.Member, facts.Position));
        Assert.Equal(AuditChain.Sha256Hex("Needs a review clause."), facts.ReasonSha256);
        Assert.Equal((0L, AuditChain.Sha256Hex(Drafts.Text)), (facts.Revision, facts.TextSha256));
        Assert.Equal((audit[^1].Sequence, audit[^1].Hash, audit[^1].At), (facts.AuditSequence, facts.AuditHash, facts.At));

        // Storage itself holds them: the stored head and entry, and the facts after a reactivation.
        var stored = new StoredProposals(storage);
        Assert.Equal(new StoredProposalHead(0, facts.AuditSequence, facts.AuditHash), await stored.ReadHeadAsync(id, CancellationToken.None).Within());
        Assert.Equal(facts.AuditHash, (await stored.ReadAuditEntryAsync(id, facts.AuditSequence, CancellationToken.None).Within())?.Hash);
        Assert.Null(await stored.ReadAuditEntryAsync(id, facts.AuditSequence + 1, CancellationToken.None).Within());
        Assert.Null(await stored.ReadHeadAsync(ProposalIds.NewId(), CancellationToken.None).Within());
        await host.Deactivate(host.Proposal(id));
        Assert.Equal([facts], await host.Proposal(id).GetReceipts(Callers.Delegate("TH")).Within());
    }

    [Fact]
    public async Task Withdrawals_and_adoptions_have_facts_and_each_member_reads_its_own()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        await Drafts.Circulate(host, id);
        await Drafts.Sign(host, id, "SG", Position.Concur);
        var withdrawn = await host.Proposal(id).WithdrawSignOff(Callers.Delegate("SG"), "SG").Within();
        Assert.Equal((ReceiptAct.WithdrawSignOff, (Position?)Position.Pending, (string?)null), (withdrawn.Receipt!.Act, withdrawn.Receipt.Position, withdrawn.Receipt.ReasonSha256));
        foreach (var member in Callers.AllMembers)
        {
            await Drafts.Sign(host, id, member, Position.Concur);
        }
        var adopted = await host.Proposal(id).RecordAdoption(Callers.Chair, "59th AMM").Within();
        Assert.Equal((ReceiptAct.Adoption, "MY", (Position?)null), (adopted.Receipt!.Act, adopted.Receipt.Member, adopted.Receipt.Position));

        var sg = await host.Proposal(id).GetReceipts(Callers.Delegate("SG")).Within();
        Assert.Equal([ReceiptAct.SignOff, ReceiptAct.WithdrawSignOff, ReceiptAct.SignOff, ReceiptAct.Adoption], sg.Select(f => f.Act));
        Assert.All(sg.SkipLast(1), f => Assert.Equal("SG", f.Member));
        Assert.Equal(13, (await host.Proposal(id).GetReceipts(Callers.Secretariat).Within()).Count);
        Assert.Equal(13, (await host.Proposal(id).GetReceipts(Callers.Chair).Within()).Count);
        Assert.Equal(2, (await host.Proposal(id).GetReceipts(Callers.Delegate("TH")).Within()).Count);
    }

    [Fact]
    public async Task Receipt_facts_lost_with_storage_are_written_again_with_the_commit_they_belong_to()
    {
        var storage = new TestStorage();
        await using var host = await GrainsHost.StartAsync(storage: storage);
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "base");
        await Drafts.Circulate(host, id);
        var saved = storage.Save();
        var facts = (await Drafts.Sign(host, id, "PH", Position.Concur)).Receipt!;
        storage.RollBack(saved);
        Assert.Empty(await host.Proposal(id).GetReceipts(Callers.Delegate("PH")).Within());

        // The next write finds storage behind and writes the lost commit again, its receipt row included.
        await Drafts.Sign(host, id, "TH", Position.Concur);

        await host.Deactivate(host.Proposal(id));
        Assert.Equal([facts], await host.Proposal(id).GetReceipts(Callers.Delegate("PH")).Within());
        Assert.Equal(facts.AuditHash, (await new StoredProposals(storage).ReadAuditEntryAsync(id, facts.AuditSequence, CancellationToken.None).Within())?.Hash);
    }
}
