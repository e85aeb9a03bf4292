using AscCollab.Text;

namespace AscCollab.Grains.Tests;

/// <summary>SubmitTrackedEdit: an op id sent again is answered with the first submission's revision and applies nothing.</summary>
public sealed class ExactlyOnceTests
{
    private static readonly Caller Vn = Callers.Delegate("VN");

    [Fact]
    public async Task The_same_op_id_twice_answers_the_same_revision_and_applies_once()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "base");
        var proposal = host.Proposal(id);

        var first = await proposal.SubmitTrackedEdit(Vn, 0, TextOperation.Insert(4, "!"), "op-1").Within();
        var again = await proposal.SubmitTrackedEdit(Vn, 0, TextOperation.Insert(4, "!"), "op-1").Within();

        Assert.Equal((1L, 1L), (first.Revision, again.Revision));
        Assert.Equal(first.Op, again.Op);
        var now = await proposal.Open(Vn).Within();
        Assert.Equal((1L, "base!"), (now.Revision, now.Text));
        Assert.Single(await proposal.GetEditsSince(Vn, 0).Within());

        // Another member's op id is its own.
        var other = await proposal.SubmitTrackedEdit(Callers.Delegate("PH"), 1, TextOperation.Insert(0, ">"), "op-1").Within();
        Assert.Equal(2, other.Revision);
    }

    [Fact]
    public async Task A_retry_while_the_first_is_still_being_written_waits_and_answers_its_revision()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "base");
        var proposal = host.Proposal(id);
        var grain = GrainId.Create("proposal", id);

        var arrived = host.Arrivals.Of(grain);
        host.Storage.PauseWrites(grain);
        var first = proposal.SubmitTrackedEdit(Vn, 0, TextOperation.Insert(4, "!"), "slow");
        await Timeouts.Eventually(() => Task.FromResult(host.Storage.WaitingWrites == 1), "the first write is in flight");
        var retry = proposal.SubmitTrackedEdit(Vn, 0, TextOperation.Insert(4, "!"), "slow");
        await Timeouts.Eventually(() => Task.FromResult(host.Arrivals.Of(grain) == arrived + 2), "the retry reached the grain");
        Assert.False(retry.IsCompleted, "the retry is answered only once the first is durable");
        host.Storage.ResumeWrites();

        var acks = await Task.WhenAll(first, retry).Within();
        Assert.Equal([1L, 1L], acks.Select(a => a.Revision));
        Assert.Equal("base!", (await proposal.Open(Vn).Within()).Text);
        Assert.Equal(1, host.Storage.WritesOf(grain) - 1); // the create, then one edit write
    }

    [Fact]
    public async Task The_op_id_is_known_after_a_reactivation_and_after_a_restart_from_its_op_row()
    {
        var storage = new TestStorage();
        string id;
        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            id = await Drafts.Create(host, Callers.Delegate("SG"), text: "base");
            var proposal = host.Proposal(id);
            Assert.Equal(1, (await proposal.SubmitTrackedEdit(Vn, 0, TextOperation.Insert(4, "!"), "op-7").Within()).Revision);
            Assert.Equal(2, (await proposal.SubmitEdit(Callers.Delegate("PH"), 1, TextOperation.Insert(0, ">")).Within()).Revision);

            await host.Deactivate(proposal);
            var afterReactivation = await proposal.SubmitTrackedEdit(Vn, 0, TextOperation.Insert(4, "!"), "op-7").Within();
            Assert.Equal(1, afterReactivation.Revision);
            Assert.Equal((2L, ">base!"), await RevisionAndText(proposal));
        }

        await using var restarted = await GrainsHost.StartAsync(storage: storage);
        var reloaded = restarted.Proposal(id);
        var afterRestart = await reloaded.SubmitTrackedEdit(Vn, 0, TextOperation.Insert(4, "!"), "op-7").Within();
        Assert.Equal(1, afterRestart.Revision);
        Assert.Equal(TextOperation.Insert(4, "!"), afterRestart.Op);
        Assert.Equal((2L, ">base!"), await RevisionAndText(reloaded));
    }

    [Fact]
    public async Task A_refused_submission_leaves_its_op_id_free_for_a_later_one()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "base");
        var proposal = host.Proposal(id);
        var grain = GrainId.Create("proposal", id);

        var stale = await Assert.ThrowsAsync<DomainException>(() => proposal.SubmitTrackedEdit(Vn, -1, TextOperation.Insert(4, "!"), "op-x").Within());
        Assert.Equal(DomainErrorCodes.StaleRevision, stale.Code);

        host.Storage.FailNextWrites(grain, 1);
        var unavailable = await Assert.ThrowsAsync<DomainException>(() => proposal.SubmitTrackedEdit(Vn, 0, TextOperation.Insert(4, "!"), "op-x").Within());
        Assert.Equal(DomainErrorCodes.Unavailable, unavailable.Code);
        Assert.Equal((0L, "base"), await RevisionAndText(proposal));

        var applied = await proposal.SubmitTrackedEdit(Vn, 0, TextOperation.Insert(4, "?"), "op-x").Within();
        Assert.Equal(1, applied.Revision);
        Assert.Equal((1L, "base?"), await RevisionAndText(proposal));
        Assert.Equal(1, (await proposal.SubmitTrackedEdit(Vn, 0, TextOperation.Insert(4, "?"), "op-x").Within()).Revision);
    }

    private static async Task<(long, string)> RevisionAndText(IProposalGrain proposal)
    {
        var snapshot = await proposal.Open(Vn).Within();
        return (snapshot.Revision, snapshot.Text);
    }
}
