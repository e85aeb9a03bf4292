namespace AscCollab.Grains.Tests;

/// <summary>Every pushed event names who may receive it; confidential drafts reach only their group.</summary>
public sealed class EventTests
{
    [Fact]
    public async Task Group_draft_events_go_to_participants_until_recommended_then_to_all()
    {
        await using var host = await GrainsHost.StartAsync();
        var group = await Drafts.Group(host, "PH", "PH", "VN");
        var id = await Drafts.Create(host, Callers.Delegate("PH"), group);
        var edit = await Drafts.Append(host, id, "VN", 0, 0, "Draft: ");

        // The host's event stream runs off the grain's turn: events arrive shortly after the ack.
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<EditCommitted>().Any(e => e.ProposalId == id)), "the edit is pushed");
        var committed = host.EventsOf<EditCommitted>().Single(e => e.ProposalId == id);
        Assert.Equal((edit.Revision, "VN"), (committed.Revision, committed.Member));
        Assert.False(committed.Audience.AllMembers);
        Assert.Equal(["PH", "VN"], committed.Audience.Members);
        Assert.All(host.EventsOf<ProposalUpdated>().Where(e => e.Summary.ProposalId == id), e => Assert.False(e.Audience.Includes("SG")));

        await Drafts.Circulate(host, id);
        await Drafts.Sign(host, id, "PH", Position.Concur);
        await Drafts.Sign(host, id, "VN", Position.Concur);
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<GroupConsensusChanged>().Any(e => e.Proposal.ProposalId == id && e.Proposal.GroupConsensus)), "group consensus is pushed");
        Assert.All(host.EventsOf<GroupConsensusChanged>().Where(e => e.Proposal.ProposalId == id), e => Assert.False(e.Audience.Includes("SG")));

        await host.Proposal(id).Recommend(Callers.Delegate("PH")).Within();
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<ProposalUpdated>().Any(e => e.Summary.ProposalId == id && e.Summary.Level == ConsensusLevel.AllMembers)), "the recommendation is pushed");
        Assert.True(host.EventsOf<ProposalUpdated>().Last(e => e.Summary.ProposalId == id).Audience.AllMembers);
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<GroupConsensusChanged>().Any(e => e.Proposal.ProposalId == id && e.Audience.AllMembers)), "the recommendation reaches all members");
    }

    [Fact]
    public async Task To_do_changes_go_to_their_member_and_progress_to_the_chair_and_secretariat_only()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        await Drafts.Circulate(host, id);
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<MemberToDoChanged>().Any(e => e.Member == "BN" && e.ToDo.Items.Any(i => i.ProposalId == id))), "BN's to-do is pushed");
        Assert.All(host.EventsOf<MemberToDoChanged>(), e => Assert.Equal([e.Member], e.Audience.Members));
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<ProgressChanged>().Any()), "progress is pushed");
        Assert.All(host.EventsOf<ProgressChanged>(), e => Assert.Equal(Audience.ChairAndSecretariat, e.Audience));
    }
}
