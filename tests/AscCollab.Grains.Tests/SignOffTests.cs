namespace AscCollab.Grains.Tests;

public sealed class SignOffTests
{
    [Fact]
    public async Task An_objection_blocks_until_it_is_withdrawn()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("ID"));
        await Drafts.Circulate(host, id);
        foreach (var member in Callers.AllMembers.Where(m => m != "KH"))
        {
            await Drafts.Sign(host, id, member, Position.Concur);
        }

        var missingReason = await Assert.ThrowsAsync<DomainException>(() => Drafts.Sign(host, id, "KH", Position.Object));
        Assert.Equal(DomainErrorCodes.InvalidInput, missingReason.Code);

        var blocked = await Drafts.Sign(host, id, "KH", Position.Object, "Paragraph 2 prejudges bilateral talks.");
        Assert.Equal(ProposalStatus.Blocked, blocked.Status);
        Assert.Equal("Paragraph 2 prejudges bilateral talks.", blocked.SignOffs.Single(s => s.Member == "KH").Reason);

        var withdrawn = await host.Proposal(id).WithdrawSignOff(Callers.Delegate("KH"), "KH").Within();
        Assert.Equal(ProposalStatus.UnderConsideration, withdrawn.Status);
        Assert.Equal(Position.Pending, withdrawn.SignOffs.Single(s => s.Member == "KH").Position);

        var consensus = await Drafts.Sign(host, id, "KH", Position.Concur);
        Assert.Equal(ProposalStatus.ConsensusReached, consensus.Status);

        // Consensus is not final before adoption: a late objection blocks again.
        var late = await Drafts.Sign(host, id, "SG", Position.Object, "New facts.");
        Assert.Equal(ProposalStatus.Blocked, late.Status);
    }

    [Fact]
    public async Task A_text_change_makes_earlier_sign_offs_stale_and_asks_for_renewal()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("ID"));
        var circulated = await Drafts.Circulate(host, id);
        await Drafts.Sign(host, id, "MY", Position.Concur);
        var signed = await Drafts.Sign(host, id, "TH", Position.Concur);
        var pinned = signed.SignOffs.Single(s => s.Member == "MY");
        Assert.Equal(circulated.Revision, pinned.Revision);
        Assert.Equal(AuditChain.Sha256Hex(Drafts.Text), pinned.TextHash);

        await Drafts.Append(host, id, "PH", signed.Revision, 0, "Draft: ");
        var after = await host.Proposal(id).Open(Callers.Delegate("MY")).Within();
        Assert.All(after.SignOffs.Where(s => s.Member is "MY" or "TH"), s => Assert.True(s.Stale));
        Assert.Equal(pinned.TextHash, after.SignOffs.Single(s => s.Member == "MY").TextHash);

        await Timeouts.Eventually(async () => (await host.Member("MY").GetToDo(Callers.Delegate("MY"))).Items
            .Any(i => i.ProposalId == id && i.Kind == ToDoKind.RenewSignOff), "MY is asked to renew");

        // Stale concurrences never count: the other eight concurring is not unanimity.
        foreach (var member in Callers.AllMembers.Where(m => m is not ("MY" or "TH")))
        {
            Assert.NotEqual(ProposalStatus.ConsensusReached, (await Drafts.Sign(host, id, member, Position.Concur)).Status);
        }
        var stale = await Assert.ThrowsAsync<DomainException>(() =>
            host.Proposal(id).SignOff(Callers.Delegate("MY"), new SignOffRequest("MY", Position.Concur, null, signed.Revision)).Within());
        Assert.Equal(DomainErrorCodes.StaleRevision, stale.Code);
        await Drafts.Sign(host, id, "MY", Position.Concur);
        var renewed = await Drafts.Sign(host, id, "TH", Position.Concur);
        Assert.Equal(ProposalStatus.ConsensusReached, renewed.Status);
        Assert.Contains(await host.Proposal(id).GetAudit(Callers.Secretariat).Within(), e => e.Action == "sign-offs-stale");
    }

    [Fact]
    public async Task No_objection_needs_its_quorum_of_concurrences()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("ID"));
        await Drafts.Circulate(host, id, ConsensusRuleKind.NoObjection, quorum: 3);
        Assert.Equal(ProposalStatus.UnderConsideration, (await Drafts.Sign(host, id, "ID", Position.Concur)).Status);
        Assert.Equal(ProposalStatus.UnderConsideration, (await Drafts.Sign(host, id, "LA", Position.Abstain)).Status);
        Assert.Equal(ProposalStatus.UnderConsideration, (await Drafts.Sign(host, id, "MY", Position.Concur)).Status);
        Assert.Equal(ProposalStatus.ConsensusReached, (await Drafts.Sign(host, id, "VN", Position.Concur)).Status);
    }

    [Fact]
    public async Task The_chair_reopens_a_locked_text_and_the_proposer_withdraws()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("ID"));
        await Drafts.Circulate(host, id, ConsensusRuleKind.NoObjection, quorum: 1);
        var consensus = await Drafts.Sign(host, id, "ID", Position.Concur);
        Assert.Equal(ProposalStatus.ConsensusReached, consensus.Status);

        var reopened = await host.Proposal(id).Reopen(Callers.Chair, "Align with the Declaration's wording.").Within();
        Assert.Equal(ProposalStatus.Drafting, reopened.Status);
        await Drafts.Append(host, id, "ID", reopened.Revision, 0, "Revised: ");

        var withdrawn = await host.Proposal(id).Withdraw(Callers.Delegate("ID"), "Superseded.").Within();
        Assert.Equal(ProposalStatus.Withdrawn, withdrawn.Status);
        var locked = await Assert.ThrowsAsync<DomainException>(() => Drafts.Append(host, id, "ID", withdrawn.Revision, 0, "x"));
        Assert.Equal(DomainErrorCodes.Locked, locked.Code);
    }
}
