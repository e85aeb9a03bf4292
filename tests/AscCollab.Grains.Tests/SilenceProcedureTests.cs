using AscCollab.Runtime;

namespace AscCollab.Grains.Tests;

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

        host.Time.Advance(Week + TimeSpan.FromMinutes(1));
        await Timeouts.Eventually(async () => (await proposal.Open(Callers.Chair)).Status == ProposalStatus.ConsensusReached, "silence completes");
        await proposal.ReceiveReminder("deadline", Tick(host)).Within();
        await proposal.ReceiveReminder("deadline", Tick(host)).Within();

        var audit = await proposal.GetAudit(Callers.Secretariat).Within();
        Assert.Single(audit, e => e.Action == "silence-deadline");
        Assert.Equal(new CallerRole[] { CallerRole.System }, audit.Where(e => e.Action == "silence-deadline").Select(e => e.Role));
    }

    [Fact]
    public async Task An_objection_breaks_silence()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        await Drafts.Circulate(host, id, ConsensusRuleKind.SilenceProcedure, deadline: host.Time.GetUtcNow() + Week);
        await Drafts.Sign(host, id, "MM", Position.Object, "Needs consultation at home.");
        await host.Proposal(id).WithdrawSignOff(Callers.Delegate("MM"), "MM").Within();

        host.Time.Advance(Week + TimeSpan.FromMinutes(1));
        await host.Proposal(id).ReceiveReminder("deadline", Tick(host)).Within();
        var after = await host.Proposal(id).Open(Callers.Chair).Within();
        Assert.Equal(ProposalStatus.UnderConsideration, after.Status);
        Assert.Contains(await host.Proposal(id).GetAudit(Callers.Secretariat).Within(), e => e.Detail.Contains("silence was broken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Silence_completes_across_a_restart()
    {
        var time = new ManualTime(GrainsHost.Start);
        var storage = new TestStorage();
        var reminders = new MemoryReminderTable();
        string id;
        await using (var first = await GrainsHost.StartAsync(time, storage, reminders))
        {
            id = await Drafts.Create(first, Callers.Delegate("SG"));
            await Drafts.Circulate(first, id, ConsensusRuleKind.SilenceProcedure, deadline: time.GetUtcNow() + Week);
        }

        // Down over the deadline: the next process finds the overdue reminder and fires it.
        time.Advance(Week + TimeSpan.FromHours(1));
        await using var second = await GrainsHost.StartAsync(time, storage, reminders);
        await Timeouts.Eventually(async () => (await second.Proposal(id).Open(Callers.Chair)).Status == ProposalStatus.ConsensusReached, "silence completes after the restart");
        await second.Proposal(id).ReceiveReminder("deadline", Tick(second)).Within();
        Assert.Single(await second.Proposal(id).GetAudit(Callers.Secretariat).Within(), e => e.Action == "silence-deadline");
    }

    private static TickStatus Tick(GrainsHost host) => new(host.Time.GetUtcNow(), null, host.Time.GetUtcNow());
}
