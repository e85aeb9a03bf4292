
namespace AscCollab.Grains.Tests;

public sealed class BadInputTests
{
    [Fact]
    public async Task Unknown_proposals_are_not_found()
    {
        await using var host = await GrainsHost.StartAsync();
        var missing = host.Proposal(ProposalIds.NewId());
        Assert.Equal(DomainErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => missing.Open(Callers.Delegate("SG")).Within())).Code);
        Assert.Equal(DomainErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => missing.Circulate(Callers.Chair, new(new(ConsensusRuleKind.Unanimity))).Within())).Code);
        Assert.Equal(DomainErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => host.Group("no-such-group").Get().Within())).Code);
        Assert.Equal(DomainErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => host.Member("XX").GetInfo().Within())).Code);
        Assert.Equal(DomainErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => host.Factory.GetGrain<IActivityGrain>("no-such-activity").Get().Within())).Code);
    }

    [Theory]
    [InlineData("not-a-proposal-id", "preventive-diplomacy", "Title", DomainErrorCodes.InvalidInput)]
    [InlineData(null, "no-such-activity", "Title", DomainErrorCodes.InvalidInput)]
    [InlineData(null, "Bad Slug!", "Title", DomainErrorCodes.InvalidInput)]
    [InlineData(null, "preventive-diplomacy", "  ", DomainErrorCodes.InvalidInput)]
    [InlineData(null, "preventive-diplomacy", "Title\u0007", DomainErrorCodes.InvalidInput)]
    public async Task Bad_new_proposals_are_refused_and_nothing_is_stored(string? key, string activity, string title, string code)
    {
        await using var host = await GrainsHost.StartAsync();
        var id = key ?? ProposalIds.NewId();
        var error = await Assert.ThrowsAsync<DomainException>(() => host.Proposal(id).Create(Callers.Delegate("SG"), new NewProposal(activity, title, "Text.")).Within());
        Assert.Equal(code, error.Code);
        Assert.Null(await host.Storage.ReadStateAsync(GrainId.Create("proposal", id), "state", default).Within());
    }

    [Fact]
    public async Task Overlong_titles_and_duplicate_creation_are_refused()
    {
        await using var host = await GrainsHost.StartAsync();
        var tooLong = await Assert.ThrowsAsync<DomainException>(() => host.Proposal(ProposalIds.NewId()).Create(Callers.Delegate("SG"), new NewProposal(Drafts.Activity, new string('t', 201), "")).Within());
        Assert.Equal(DomainErrorCodes.TooLarge, tooLong.Code);
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        var again = await Assert.ThrowsAsync<DomainException>(() => host.Proposal(id).Create(Callers.Delegate("PH"), new NewProposal(Drafts.Activity, "Other", "")).Within());
        Assert.Equal(DomainErrorCodes.Conflict, again.Code);
        Assert.Equal("SG", (await host.Proposal(id).Get(Callers.Delegate("SG")).Within()).Proposer);
    }

    [Fact]
    public async Task Invalid_transitions_are_refused_and_change_nothing()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        var proposal = host.Proposal(id);
        await AssertRefused(host, id, DomainErrorCodes.InvalidTransition, p => p.SignOff(Callers.Delegate("SG"), new SignOffRequest("SG", Position.Concur, null, 0)));
        await AssertRefused(host, id, DomainErrorCodes.InvalidTransition, p => p.RecordAdoption(Callers.Chair, "AMM"));
        await AssertRefused(host, id, DomainErrorCodes.InvalidTransition, p => p.SetDeadline(Callers.Chair, GrainsHost.Start.AddDays(1)));
        await AssertRefused(host, id, DomainErrorCodes.InvalidTransition, p => p.Recommend(Callers.Chair));
        await AssertRefused(host, id, DomainErrorCodes.InvalidInput, p => p.Circulate(Callers.Chair, new(new(ConsensusRuleKind.SilenceProcedure))));
        await AssertRefused(host, id, DomainErrorCodes.InvalidInput, p => p.Circulate(Callers.Chair, new(new(ConsensusRuleKind.NoObjection, 11))));
        await AssertRefused(host, id, DomainErrorCodes.InvalidInput, p => p.Circulate(Callers.Chair, new(new(ConsensusRuleKind.Unanimity), GrainsHost.Start.AddDays(-1))));
        await AssertRefused(host, id, DomainErrorCodes.InvalidInput, p => p.Withdraw(Callers.Delegate("SG"), " "));

        await Drafts.Circulate(host, id);
        await AssertRefused(host, id, DomainErrorCodes.InvalidInput, p => p.SignOff(Callers.Delegate("SG"), new SignOffRequest("SG", Position.Pending, null, 0)));
        // A revision the proposal does not have yet is one storage lost, or one the client invented: refused either way.
        await AssertRefused(host, id, DomainErrorCodes.RevisionLost, p => p.SignOff(Callers.Delegate("SG"), new SignOffRequest("SG", Position.Concur, null, 7)));
        await AssertRefused(host, id, DomainErrorCodes.InvalidTransition, p => p.WithdrawSignOff(Callers.Delegate("SG"), "SG"));
        await AssertRefused(host, id, DomainErrorCodes.TooLarge, p => p.SignOff(Callers.Delegate("SG"), new SignOffRequest("SG", Position.Object, new string('r', 2_001), 0)));

        await proposal.Withdraw(Callers.Delegate("SG"), "Overtaken by events.").Within();
        await AssertRefused(host, id, DomainErrorCodes.InvalidTransition, p => p.Withdraw(Callers.Chair, "Again."));
        await AssertRefused(host, id, DomainErrorCodes.InvalidTransition, p => p.Circulate(Callers.Chair, new(new(ConsensusRuleKind.Unanimity))));
    }

    [Fact]
    public async Task Bad_group_charters_are_refused()
    {
        await using var host = await GrainsHost.StartAsync();
        Task<GroupInfo> SetUp(GroupCharter charter) => host.Group("group-" + Guid.NewGuid().ToString("N")[..6]).SetUp(Callers.Chair, charter).Within();
        Assert.Equal(DomainErrorCodes.InvalidInput, (await Assert.ThrowsAsync<DomainException>(() => SetUp(new("G", "M", ["MY", "XX"], "MY", [])))).Code);
        Assert.Equal(DomainErrorCodes.InvalidInput, (await Assert.ThrowsAsync<DomainException>(() => SetUp(new("G", "M", ["MY", "PH"], "SG", [])))).Code);
        Assert.Equal(DomainErrorCodes.InvalidInput, (await Assert.ThrowsAsync<DomainException>(() => SetUp(new("G", "M", [], "SG", ["no-such-activity"])))).Code);
        Assert.Equal(DomainErrorCodes.InvalidInput, (await Assert.ThrowsAsync<DomainException>(() => SetUp(new("G", " ", [], "SG", [])))).Code);
        var all = await SetUp(new("All members", "Review.", [], "SG", ["preventive-diplomacy"]));
        Assert.True(all.AllMembers);
        Assert.Equal(10, all.Participants.Count);
    }

    private static async Task AssertRefused(GrainsHost host, string id, string code, Func<IProposalGrain, Task> attempt)
    {
        var before = await host.Proposal(id).Open(Callers.Chair).Within();
        var error = await Assert.ThrowsAsync<DomainException>(() => attempt(host.Proposal(id)).Within());
        Assert.Equal(code, error.Code);
        var after = await host.Proposal(id).Open(Callers.Chair).Within();
        Assert.Equal((before.Status, before.Revision, before.Summary.Version), (after.Status, after.Revision, after.Summary.Version));
    }
}
