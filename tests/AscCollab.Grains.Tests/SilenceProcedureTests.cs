namespace AscCollab.Grains.Tests;

/// <summary>
/// The silence deadline arrives as a real Orleans reminder (the reminder service runs on the test's
/// clock, the reminder table outlives the cluster); the tests move the clock, never sleep.
/// </summary>
public sealed class SilenceProcedureTests
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    [Fact]
    public async Task Silence_completes_at_the_deadline_exactly_once_even_if_the_reminder_fires_twice()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        await Drafts.Circulate(host, id, ConsensusRuleKind.SilenceProcedure, deadline: host.Time.GetUtcNow() + Week);
        var proposal = host.Proposal(id);

        // Early delivery changes nothing.
        await proposal.ReceiveReminder("deadline", Tick(host)).Within();
        Assert.Equal(ProposalStatus.UnderConsideration, (await proposal.Open(Callers.Chair).Within()).Status);

        host.Time.Advance(Week);
        await UntilStatus(host, id, ProposalStatus.ConsensusReached, "silence completes");
        await proposal.ReceiveReminder("deadline", Tick(host)).Within();
        await proposal.ReceiveReminder("deadline", Tick(host)).Within();

        var audit = await proposal.GetAudit(Callers.Secretariat).Within();
        Assert.Single(audit, e => e.Action == "silence-deadline");
        Assert.Equal(new CallerRole[] { CallerRole.System }, audit.Where(e => e.Action == "silence-deadline").Select(e => e.Role));
    }

    [Fact]
    public async Task The_deadline_reminder_fires_once_across_a_deactivation_and_is_then_unregistered()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        await Drafts.Circulate(host, id, ConsensusRuleKind.SilenceProcedure, deadline: host.Time.GetUtcNow() + Week);
        var grain = GrainId.Create("proposal", id);
        Assert.Equal(1, host.Storage.Reminders.Count(grain));

        // The activation goes away before the deadline; the durable reminder brings it back.
        await host.Deactivate(host.Proposal(id));
        host.Time.Advance(Week);
        await UntilStatus(host, id, ProposalStatus.ConsensusReached, "silence completes after a deactivation");
        await Timeouts.Eventually(() => Task.FromResult(host.Storage.Reminders.Count(grain) == 0), "the one-shot reminder unregisters itself");

        // Later periods would have come round by now: nothing more happens.
        await host.Deactivate(host.Proposal(id));
        for (var i = 0; i < 3; i++)
        {
            host.Time.Advance(TimeSpan.FromMinutes(2));
        }
        var audit = await host.Proposal(id).GetAudit(Callers.Secretariat).Within();
        Assert.Single(audit, e => e.Action == "silence-deadline");
        Assert.Equal(ProposalStatus.ConsensusReached, (await host.Proposal(id).Open(Callers.Chair).Within()).Status);
    }

    [Fact]
    public async Task An_objection_breaks_silence()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        await Drafts.Circulate(host, id, ConsensusRuleKind.SilenceProcedure, deadline: host.Time.GetUtcNow() + Week);
        await Drafts.Sign(host, id, "MM", Position.Object, "Needs consultation at home.");
        await host.Proposal(id).WithdrawSignOff(Callers.Delegate("MM"), "MM").Within();

        host.Time.Advance(Week);
        await Timeouts.Eventually(async () =>
        {
            host.Time.Advance(TimeSpan.FromMinutes(1));
            return (await host.Proposal(id).GetAudit(Callers.Secretariat)).Any(e => e.Action == "silence-deadline");
        }, "the deadline is handled");
        var after = await host.Proposal(id).Open(Callers.Chair).Within();
        Assert.Equal(ProposalStatus.UnderConsideration, after.Status);
        Assert.Contains(await host.Proposal(id).GetAudit(Callers.Secretariat).Within(), e => e.Detail.Contains("silence was broken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Silence_completes_across_a_restart()
    {
        var time = new ManualTime(GrainsHost.Start);
        var storage = new TestStorage();
        string id;
        await using (var first = await GrainsHost.StartAsync(time, storage))
        {
            id = await Drafts.Create(first, Callers.Delegate("SG"));
            await Drafts.Circulate(first, id, ConsensusRuleKind.SilenceProcedure, deadline: time.GetUtcNow() + Week);
        }

        // Down over the deadline: the next cluster finds the overdue reminder and fires it.
        time.Advance(Week + TimeSpan.FromHours(1));
        await using var second = await GrainsHost.StartAsync(time, storage);
        await UntilStatus(second, id, ProposalStatus.ConsensusReached, "silence completes after the restart");
        await second.Proposal(id).ReceiveReminder("deadline", Tick(second)).Within();
        Assert.Single(await second.Proposal(id).GetAudit(Callers.Secretariat).Within(), e => e.Action == "silence-deadline");
    }

    /// <summary>Moves the clock a minute at a time (the reminder service's timers and refreshes run on it) until the status is reached.</summary>
    private static Task UntilStatus(GrainsHost host, string id, ProposalStatus status, string what) =>
        Timeouts.Eventually(async () =>
        {
            host.Time.Advance(TimeSpan.FromMinutes(1));
            return (await host.Proposal(id).Open(Callers.Chair)).Status == status;
        }, what);

    private static TickStatus Tick(GrainsHost host) => new(host.Time.GetUtcNow().UtcDateTime, AscGrain.OneShotPeriod, host.Time.GetUtcNow().UtcDateTime);
}
