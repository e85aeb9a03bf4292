using AscCollab.Text;

namespace AscCollab.Grains.Tests;

public sealed class ScenarioTests
{
    [Fact]
    public async Task Group_draft_reaches_group_consensus_then_all_members_then_adoption()
    {
        await using var host = await GrainsHost.StartAsync();
        var group = await Drafts.Group(host, "PH", "ID", "MY", "PH", "VN");
        var id = await Drafts.Create(host, Callers.Delegate("PH"), group);
        var proposal = host.Proposal(id);

        // Confidential to the group until recommended.
        var outsider = await Assert.ThrowsAsync<DomainException>(() => proposal.Open(Callers.Delegate("SG")).Within());
        Assert.Equal(DomainErrorCodes.Forbidden, outsider.Code);

        var ack = await Drafts.Append(host, id, "VN", 0, CodePoints.Length(Drafts.Text), " They shall exercise self-restraint.");
        Assert.Equal(1, ack.Revision);

        await Drafts.Circulate(host, id);
        await Timeouts.Eventually(async () => (await host.Member("VN").GetToDo(Callers.Delegate("VN"))).Items.Any(i => i.ProposalId == id && i.Kind == ToDoKind.SignOff), "VN is asked to sign off");
        foreach (var member in new[] { "ID", "MY", "PH" })
        {
            Assert.Equal(ProposalStatus.UnderConsideration, (await Drafts.Sign(host, id, member, Position.Concur)).Status);
        }
        var groupConsensus = await Drafts.Sign(host, id, "VN", Position.Concur);
        Assert.Equal(ProposalStatus.ConsensusReached, groupConsensus.Status);
        Assert.Equal(ConsensusLevel.Group, groupConsensus.Summary.Level);
        await Timeouts.Eventually(async () => (await host.Group(group).GetConsensus(Callers.Delegate("PH"))).Single().GroupConsensus, "the group records its consensus");

        var adoptTooEarly = await Assert.ThrowsAsync<DomainException>(() => proposal.RecordAdoption(Callers.Chair, "AMM").Within());
        Assert.Equal(DomainErrorCodes.InvalidTransition, adoptTooEarly.Code);

        var recommended = await proposal.Recommend(Callers.Delegate("PH")).Within();
        Assert.Equal(ConsensusLevel.AllMembers, recommended.Summary.Level);
        Assert.Equal(ProposalStatus.Drafting, recommended.Status);
        Assert.False(recommended.Summary.Confidential);
        Assert.Equal(ack.Revision, (await proposal.Open(Callers.Delegate("SG")).Within()).Revision);

        await Drafts.Circulate(host, id);
        foreach (var member in Callers.AllMembers.Where(m => m != "LA"))
        {
            await Drafts.Sign(host, id, member, Position.Concur);
        }
        var consensus = await Drafts.Sign(host, id, "LA", Position.Abstain);
        Assert.Equal(ProposalStatus.ConsensusReached, consensus.Status);

        var locked = await Assert.ThrowsAsync<DomainException>(() => Drafts.Append(host, id, "SG", consensus.Revision, 0, "x"));
        Assert.Equal(DomainErrorCodes.Locked, locked.Code);

        var adopted = await proposal.RecordAdoption(Callers.Chair, "39th AMM").Within();
        Assert.Equal(ProposalStatus.Adopted, adopted.Status);
        Assert.Equal(GrainsHost.Start, adopted.Summary.AdoptedAt);

        await Timeouts.Eventually(async () =>
        {
            var report = await host.Progress.GetAnnualReport(Callers.Secretariat, 2026);
            return report.Sections.Single(s => s.Component.Id == "shaping-and-sharing-of-norms").Adopted.Any(p => p.ProposalId == id);
        }, "the adoption appears in the annual report");
        var overview = await host.Progress.GetOverview(Callers.Chair).Within();
        Assert.Equal(1, overview.Components.Single(c => c.Component.Id == "shaping-and-sharing-of-norms").Counts.Adopted);

        var audit = await proposal.VerifyAudit(Callers.Secretariat).Within();
        Assert.True(audit.Intact, audit.Problem);
        var actions = (await proposal.GetAudit(Callers.Secretariat).Within()).Select(e => e.Action).ToList();
        Assert.Equal(["create", "edit", "circulate", "status"], actions.Take(4));
        Assert.Contains("recommend", actions);
        Assert.Equal("adopt", actions[^2]);
    }

    [Fact]
    public async Task Proposals_list_shows_each_delegation_only_what_it_may_see()
    {
        await using var host = await GrainsHost.StartAsync();
        var group = await Drafts.Group(host, "ID", "ID", "MY");
        var confidential = await Drafts.Create(host, Callers.Delegate("ID"), group);
        var open = await Drafts.Create(host, Callers.Delegate("SG"));

        await Timeouts.Eventually(async () => (await host.Progress.ListProposals(Callers.Secretariat)).Count == 2, "both proposals are indexed");
        var forSingapore = await host.Progress.ListProposals(Callers.Delegate("SG")).Within();
        Assert.Equal([open], forSingapore.Select(p => p.ProposalId));
        var forMalaysia = await host.Progress.ListProposals(Callers.Delegate("MY")).Within();
        Assert.Equal(2, forMalaysia.Count);
        Assert.Contains(forMalaysia, p => p.ProposalId == confidential && p.Confidential);
    }
}
