using AscCollab.Text;

namespace AscCollab.Grains.Tests;

/// <summary>Steps the scenarios share; random keys so tests never collide.</summary>
internal static class Drafts
{
    public const string Activity = "south-china-sea-code-of-conduct";
    public const string Text = "The Parties undertake to resolve their disputes by peaceful means.";

    public static async Task<string> Create(GrainsHost host, Caller proposer, string? group = null, string text = Text)
    {
        var id = ProposalIds.NewId();
        await host.Proposal(id).Create(proposer, new NewProposal(Activity, "Maritime confidence building", text, group)).Within();
        // Edits reach the nodes that watch the proposal, not the feed: the host watches every draft.
        await host.Watch(id);
        return id;
    }

    public static async Task<string> Group(GrainsHost host, string coordinator, params string[] participants)
    {
        var id = "maritime-" + Guid.NewGuid().ToString("N")[..8];
        await host.Group(id).SetUp(Callers.Chair, new GroupCharter("Maritime working group", "Draft maritime confidence building measures.", participants, coordinator, [Activity])).Within();
        return id;
    }

    public static Task<ProposalSnapshot> Circulate(GrainsHost host, string id, ConsensusRuleKind rule = ConsensusRuleKind.Unanimity, int? quorum = null, DateTimeOffset? deadline = null) =>
        host.Proposal(id).Circulate(Callers.Chair, new Circulation(new ConsensusRule(rule, quorum), deadline)).Within();

    public static async Task<ProposalSnapshot> Sign(GrainsHost host, string id, string member, Position position, string? reason = null)
    {
        var revision = (await host.Proposal(id).Open(Callers.Delegate(member)).Within()).Revision;
        return await host.Proposal(id).SignOff(Callers.Delegate(member), new SignOffRequest(member, position, reason, revision)).Within();
    }

    public static Task<EditAck> Append(GrainsHost host, string id, string member, long revision, int length, string text) =>
        host.Proposal(id).SubmitEdit(Callers.Delegate(member), revision, TextOperation.Insert(length, text)).Within();

    /// <summary>
    /// A lone edit by SG (revision 1) whose write is held while each of <paramref name="queuedBy"/>
    /// submits an insert on base 0: those queue behind it and are committed together, in one batch.
    /// </summary>
    public static async Task EditsQueuedBehindAWrite(GrainsHost host, string id, params string[] queuedBy)
    {
        var proposal = host.Proposal(id);
        var grain = GrainId.Create("proposal", id);
        var arrived = host.Arrivals.Of(grain);
        host.Storage.PauseWrites(grain);
        var first = proposal.SubmitEdit(Callers.Delegate("SG"), 0, TextOperation.Insert(0, "a"));
        await Timeouts.Eventually(() => Task.FromResult(host.Storage.WaitingWrites == 1), "the first write is in flight");
        var queued = new List<Task<EditAck>>();
        foreach (var (member, i) in queuedBy.Select((m, i) => (m, i)))
        {
            // One at a time, so they are sequenced in the order given.
            queued.Add(proposal.SubmitEdit(Callers.Delegate(member), 0, TextOperation.Insert(0, $"{i}")));
            var expected = arrived + 2 + i;
            await Timeouts.Eventually(() => Task.FromResult(host.Arrivals.Of(grain) == expected), $"{member}'s edit is queued");
        }
        host.Storage.ResumeWrites();
        await Task.WhenAll([first, .. queued]).Within();
    }
}
