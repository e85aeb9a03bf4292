using AscCollab.Text;

namespace AscCollab.Grains.Tests;

/// <summary>Comment threads on the grain: replies, resolve and reopen, mentions on the to-do, anchors through edits.</summary>
public sealed class CommentTests
{
    private static Task<CommentThread> Start(GrainsHost host, string id, string member, long revision, int start, int end, string text,
        CommentScope scope = CommentScope.Range, IReadOnlyList<string>? mentions = null) =>
        host.Proposal(id).StartComment(Callers.Delegate(member), new CommentDraft(revision, start, end, scope, text, mentions)).Within();

    private static async Task<bool> HasMention(GrainsHost host, string member, string id, string thread) =>
        (await host.Member(member).GetToDo(Callers.Delegate(member)).Within()).Items.Any(i => i.Kind == ToDoKind.Mention && i.ProposalId == id && i.Thread == thread);

    [Fact]
    public async Task A_thread_with_replies_and_a_mention_on_the_to_do_until_the_member_answers_or_it_is_resolved()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        var proposal = host.Proposal(id);
        var (start, end) = AmendmentTests.Find(Drafts.Text, "resolve");

        var thread = await Start(host, id, "MY", 0, start, end, "@TH can your capital live with 'settle'?");
        Assert.Equal(("c1", "MY", "resolve", AnchorState.Current), (thread.Id, thread.Author, thread.Quote, thread.Anchor));
        Assert.Equal(["TH"], Assert.Single(thread.Comments).Mentions);
        await Timeouts.Eventually(() => HasMention(host, "TH", id, "c1"), "TH's to-do names the mention");
        var item = (await host.Member("TH").GetToDo(Callers.Delegate("TH")).Within()).Items.Single(i => i.Kind == ToDoKind.Mention);
        Assert.Equal("MY", item.By);

        var replied = await proposal.ReplyToComment(Callers.Delegate("TH"), "c1", new CommentReply("Yes, confirmed this morning.", ["VN"])).Within();
        Assert.Equal([1, 2], replied.Comments.Select(c => c.Number));
        await Timeouts.Eventually(async () => !await HasMention(host, "TH", id, "c1") && await HasMention(host, "VN", id, "c1"), "TH answered; VN is asked");

        await Refused(DomainErrorCodes.Forbidden, () => proposal.ResolveComment(Callers.Delegate("VN"), "c1"));
        var resolved = await proposal.ResolveComment(Callers.Delegate("MY"), "c1").Within();
        Assert.Equal((true, "MY"), (resolved.Resolved, resolved.ResolvedBy));
        await Timeouts.Eventually(async () => !await HasMention(host, "VN", id, "c1"), "resolving clears the mention");
        await Refused(DomainErrorCodes.InvalidTransition, () => proposal.ResolveComment(Callers.Delegate("SG"), "c1"));
        var reopened = await proposal.ReopenComment(Callers.Delegate("SG"), "c1").Within();
        Assert.False(reopened.Resolved);
        await Timeouts.Eventually(() => HasMention(host, "VN", id, "c1"), "reopening asks VN again");
        await Refused(DomainErrorCodes.InvalidTransition, () => proposal.ReopenComment(Callers.Chair, "c1"));

        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<CommentChanged>().Count(e => e.ProposalId == id) == 4), "every change is pushed");
        var audit = await proposal.GetAudit(Callers.Chair).Within();
        Assert.Equal(["comment", "comment-reply", "comment-resolved", "comment-reopened"], audit.Where(e => e.Action.StartsWith("comment", StringComparison.Ordinal)).Select(e => e.Action));
        Assert.Contains("mentions TH", audit.First(e => e.Action == "comment").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_comments_and_unknown_or_unseeing_members_in_mentions_are_refused_and_store_nothing()
    {
        await using var host = await GrainsHost.StartAsync(configure: o =>
        {
            o.Limits.MaxCommentLength = 40;
            o.Limits.MaxCommentThreads = 1;
        });
        var group = await Drafts.Group(host, "PH", "PH", "VN", "SG");
        var id = await Drafts.Create(host, Callers.Delegate("VN"), group);
        var proposal = host.Proposal(id);
        var before = (await proposal.Get(Callers.Chair).Within()).Version;

        await Refused(DomainErrorCodes.InvalidInput, () => Start(host, id, "VN", 0, 0, 3, "Ask @XX about it."));
        await Refused(DomainErrorCodes.InvalidInput, () => Start(host, id, "VN", 0, 0, 3, "Ask the secretariat.", mentions: ["ASEC"]));
        await Refused(DomainErrorCodes.InvalidInput, () => Start(host, id, "VN", 0, 0, 3, "@TH is not in the group."));
        await Refused(DomainErrorCodes.InvalidInput, () => Start(host, id, "VN", 0, 0, 3, " "));
        await Refused(DomainErrorCodes.InvalidInput, () => Start(host, id, "VN", 0, 3, 3, "A point is not a range."));
        await Refused(DomainErrorCodes.InvalidInput, () => Start(host, id, "VN", 0, 0, 500, "Past the end."));
        await Refused(DomainErrorCodes.StaleRevision, () => Start(host, id, "VN", 7, 0, 3, "From the future."));
        await Refused(DomainErrorCodes.TooLarge, () => Start(host, id, "VN", 0, 0, 3, new string('w', 41)));
        await Refused(DomainErrorCodes.Forbidden, () => Start(host, id, "TH", 0, 0, 3, "An outsider."));
        await Refused(DomainErrorCodes.Forbidden, () => proposal.StartComment(Callers.Secretariat, new CommentDraft(0, 0, 3, CommentScope.Range, "Noted.", null)));
        Assert.Equal(before, (await proposal.Get(Callers.Chair).Within()).Version);
        Assert.Empty((await proposal.GetAnnotations(Callers.Chair).Within()).Threads);

        // The Chair comments on a group draft it does not take part in; "@ASEAN" is a word, not a mention.
        var thread = await proposal.StartComment(Callers.Chair, new CommentDraft(0, 0, 3, CommentScope.Range, "As agreed @ASEAN level, @PH?", null)).Within();
        Assert.Equal(["PH"], thread.Comments[0].Mentions);
        await Refused(DomainErrorCodes.TooLarge, () => Start(host, id, "VN", 0, 0, 3, "A second thread."));
        await Refused(DomainErrorCodes.NotFound, () => proposal.ReplyToComment(Callers.Delegate("VN"), "c2", new CommentReply("Where?", null)));
        await Refused(DomainErrorCodes.InvalidInput, () => proposal.ReplyToComment(Callers.Delegate("VN"), "c1", new CommentReply("Ask @ZZ.", null)));
        await Refused(DomainErrorCodes.Forbidden, () => proposal.ReplyToComment(Callers.Delegate("TH"), "c1", new CommentReply("Me too.", null)));
        Assert.Single((await proposal.GetAnnotations(Callers.Chair).Within()).Threads[0].Comments);
    }

    [Fact]
    public async Task A_range_thread_is_outdated_when_its_text_changes_and_detached_when_deleted_while_a_paragraph_thread_follows_typing()
    {
        await using var host = await GrainsHost.StartAsync();
        const string text = "PP1 Recalling the Charter.\n\nOP1 Decides to meet.\n\nOP2 Requests a report.";
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: text);
        var proposal = host.Proposal(id);
        var (start, end) = AmendmentTests.Find(text, "meet");
        var range = await Start(host, id, "MY", 0, start, end, "How often?");
        var paragraph = await Start(host, id, "TH", 0, start + 1, start + 1, "This paragraph needs work.", CommentScope.Paragraph);
        var (p, q) = AmendmentTests.Find(text, "OP1 Decides to meet.");
        Assert.Equal((p, q, "OP1 Decides to meet."), (paragraph.Start, paragraph.End, paragraph.Quote));

        // Typing at the paragraph's end belongs to it; typing inside the range changes what the range thread is about.
        await proposal.SubmitEdit(Callers.Delegate("VN"), 0, TextOperation.Insert(q, " Yearly.")).Within();
        await proposal.SubmitEdit(Callers.Delegate("VN"), 1, TextOperation.Insert(start + 2, "e")).Within();
        var view = await proposal.GetAnnotations(Callers.Chair).Within();
        var now = (await proposal.Open(Callers.Chair).Within()).Text;
        Assert.Equal((AnchorState.Outdated, "meeet"), (view.Threads[0].Anchor, Anchors.Slice(now, view.Threads[0].Start, view.Threads[0].End)));
        Assert.Equal((AnchorState.Current, "OP1 Decides to meeet. Yearly."), (view.Threads[1].Anchor, Anchors.Slice(now, view.Threads[1].Start, view.Threads[1].End)));

        // Deleting the paragraph detaches both; the quotes stay.
        var from = view.Threads[1].Start;
        await proposal.SubmitEdit(Callers.Delegate("VN"), 2, TextOperation.Delete(from, view.Threads[1].End - from + 2)).Within();
        view = await proposal.GetAnnotations(Callers.Chair).Within();
        Assert.Equal((AnchorState.Detached, "meet"), (view.Threads[0].Anchor, view.Threads[0].Quote));
        Assert.Equal((AnchorState.Detached, "OP1 Decides to meet."), (view.Threads[1].Anchor, view.Threads[1].Quote));
        Assert.Equal("PP1 Recalling the Charter.\n\nOP2 Requests a report.", (await proposal.Open(Callers.Chair).Within()).Text);
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<CommentChanged>().Count(e => e.ProposalId == id && e.Thread.Anchor == AnchorState.Detached) == 2), "detached threads are pushed");
    }

    private static Task Refused<T>(string code, Func<Task<T>> call) => AmendmentTests.Refused(code, call);
}
