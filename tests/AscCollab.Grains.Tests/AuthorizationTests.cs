using AscCollab.Text;

namespace AscCollab.Grains.Tests;

/// <summary>Each rule, and an attempt to break it that must fail with forbidden and change nothing.</summary>
public sealed class AuthorizationTests
{
    [Fact]
    public async Task A_delegate_cannot_sign_for_another_member()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await CirculatedProposal(host);
        await AssertForbidden(host, id, p => p.SignOff(Callers.Delegate("SG"), new SignOffRequest("MY", Position.Concur, null, 0)));
        await AssertForbidden(host, id, p => p.WithdrawSignOff(Callers.Delegate("SG"), "MY"));
    }

    [Fact]
    public async Task The_secretariat_never_signs_edits_or_proposes()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await CirculatedProposal(host);
        await AssertForbidden(host, id, p => p.SignOff(Callers.Secretariat, new SignOffRequest("ASEC", Position.Concur, null, 0)));
        await AssertForbidden(host, id, p => p.SignOff(new Caller("MY", CallerRole.Secretariat), new SignOffRequest("MY", Position.Concur, null, 0)));
        await AssertForbidden(host, id, p => p.SubmitEdit(Callers.Secretariat, 0, TextOperation.Insert(0, "x")));
        var propose = await Assert.ThrowsAsync<DomainException>(() => Drafts.Create(host, Callers.Secretariat));
        Assert.Equal(DomainErrorCodes.Forbidden, propose.Code);
    }

    [Fact]
    public async Task Members_outside_a_group_cannot_see_edit_or_sign_its_draft()
    {
        await using var host = await GrainsHost.StartAsync();
        var group = await Drafts.Group(host, "VN", "VN", "PH");
        var id = await Drafts.Create(host, Callers.Delegate("VN"), group);
        await Drafts.Circulate(host, id);
        await AssertForbidden(host, id, p => p.Open(Callers.Delegate("SG")));
        await AssertForbidden(host, id, p => p.GetEditsSince(Callers.Delegate("SG"), 0));
        await AssertForbidden(host, id, p => p.SubmitEdit(Callers.Delegate("SG"), 0, TextOperation.Insert(0, "x")));
        await AssertForbidden(host, id, p => p.SignOff(Callers.Delegate("SG"), new SignOffRequest("SG", Position.Object, "No.", 0)));
        await AssertForbidden(host, id, p => p.GetAudit(Callers.Delegate("SG")));
        // The Chair's own delegation is not a participant: it reads, monitors, but does not sign within the group.
        Assert.Equal(id, (await host.Proposal(id).Open(Callers.Chair).Within()).ProposalId);
        await AssertForbidden(host, id, p => p.SignOff(Callers.Chair, new SignOffRequest("MY", Position.Concur, null, 0)));
        var consensus = await Assert.ThrowsAsync<DomainException>(() => host.Group(group).GetConsensus(Callers.Delegate("SG")).Within());
        Assert.Equal(DomainErrorCodes.Forbidden, consensus.Code);
        var propose = await Assert.ThrowsAsync<DomainException>(() => Drafts.Create(host, Callers.Delegate("SG"), group));
        Assert.Equal(DomainErrorCodes.Forbidden, propose.Code);
    }

    [Fact]
    public async Task Only_the_chair_circulates_sets_deadlines_and_records_adoption()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("ID"));
        var rule = new Circulation(new ConsensusRule(ConsensusRuleKind.Unanimity));
        await AssertForbidden(host, id, p => p.Circulate(Callers.Delegate("MY"), rule));
        await AssertForbidden(host, id, p => p.Circulate(Callers.Secretariat, rule));
        await Drafts.Circulate(host, id);
        await AssertForbidden(host, id, p => p.SetDeadline(Callers.Delegate("ID"), GrainsHost.Start.AddDays(3)));
        await AssertForbidden(host, id, p => p.RecordAdoption(Callers.Delegate("ID"), "AMM"));
        await AssertForbidden(host, id, p => p.Reopen(Callers.Delegate("ID"), "Because."));
        await AssertForbidden(host, id, p => p.Withdraw(Callers.Delegate("SG"), "Not mine to withdraw."));
        var setUp = await Assert.ThrowsAsync<DomainException>(() => host.Group("rogue-group").SetUp(Callers.Delegate("SG"),
            new GroupCharter("Rogue", "None.", [], "SG", [])).Within());
        Assert.Equal(DomainErrorCodes.Forbidden, setUp.Code);
    }

    [Fact]
    public async Task A_chair_token_of_a_member_not_holding_the_chairmanship_gets_no_chair_rights()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("ID"));
        await AssertForbidden(host, id, p => p.Circulate(new Caller("TH", CallerRole.Chair), new Circulation(new ConsensusRule(ConsensusRuleKind.Unanimity))));
        var progress = await Assert.ThrowsAsync<DomainException>(() => host.Progress.GetOverview(new Caller("TH", CallerRole.Chair)).Within());
        Assert.Equal(DomainErrorCodes.Forbidden, progress.Code);
    }

    [Fact]
    public async Task The_handover_moves_chair_rights_at_its_instant_without_restart()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("ID"));
        host.Time.Advance(GrainsHost.Handover - host.Time.GetUtcNow() - TimeSpan.FromSeconds(1));
        await AssertForbidden(host, id, p => p.Circulate(new Caller("TH", CallerRole.Chair), new Circulation(new ConsensusRule(ConsensusRuleKind.Unanimity))));

        host.Time.Advance(TimeSpan.FromSeconds(1));
        await AssertForbidden(host, id, p => p.Circulate(Callers.Chair, new Circulation(new ConsensusRule(ConsensusRuleKind.Unanimity))));
        var circulated = await host.Proposal(id).Circulate(new Caller("TH", CallerRole.Chair), new Circulation(new ConsensusRule(ConsensusRuleKind.Unanimity))).Within();
        Assert.Equal(ProposalStatus.UnderConsideration, circulated.Status);
    }

    [Fact]
    public async Task Only_a_members_own_delegation_the_chair_and_the_secretariat_read_its_to_do_list()
    {
        await using var host = await GrainsHost.StartAsync();
        var denied = await Assert.ThrowsAsync<DomainException>(() => host.Member("VN").GetToDo(Callers.Delegate("SG")).Within());
        Assert.Equal(DomainErrorCodes.Forbidden, denied.Code);
        Assert.Equal("VN", (await host.Member("VN").GetToDo(Callers.Secretariat).Within()).Member);
        Assert.Equal("VN", (await host.Member("VN").GetToDo(Callers.Chair).Within()).Member);
    }

    private static async Task<string> CirculatedProposal(GrainsHost host)
    {
        var id = await Drafts.Create(host, Callers.Delegate("ID"));
        await Drafts.Circulate(host, id);
        return id;
    }

    private static async Task AssertForbidden(GrainsHost host, string id, Func<IProposalGrain, Task> attempt)
    {
        var before = await host.Proposal(id).GetAudit(Callers.Secretariat).Within();
        var error = await Assert.ThrowsAsync<DomainException>(() => attempt(host.Proposal(id)).Within());
        Assert.Equal(DomainErrorCodes.Forbidden, error.Code);
        Assert.Equal(before.Count, (await host.Proposal(id).GetAudit(Callers.Secretariat).Within()).Count);
    }
}
