using AscCollab.Text;

namespace AscCollab.Grains.Tests;

/// <summary>Tabled amendments on the grain: the rules of docs/amendments.md, each refusal coded and storing nothing.</summary>
public sealed class AmendmentTests
{
    private const string Word = "resolve";

    internal static (int Start, int End) Find(string text, string word)
    {
        var i = text.IndexOf(word, StringComparison.Ordinal);
        Assert.True(i >= 0);
        return (i, i + word.Length);
    }

    internal static Task<Amendment> Table(GrainsHost host, string id, string member, long revision, int start, int end, string? replacement, string? justification = "A clearer commitment.") =>
        host.Proposal(id).TableAmendment(Callers.Delegate(member), new AmendmentDraft(revision, start, end, replacement, justification)).Within();

    [Fact]
    public async Task An_amendment_supported_and_accepted_by_the_proposer_becomes_an_edit_under_its_authors_name()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        var proposal = host.Proposal(id);
        var (start, end) = Find(Drafts.Text, Word);

        var tabled = await Table(host, id, "MY", 0, start, end, "settle");
        Assert.Equal(("a1", "MY", AmendmentKind.Replace, AmendmentStatus.Open, Word, "settle"), (tabled.Id, tabled.Author, tabled.Kind, tabled.Status, tabled.Quote, tabled.Replacement));

        await proposal.TakeAmendmentPosition(Callers.Delegate("TH"), "a1", Stance.Support).Within();
        await proposal.TakeAmendmentPosition(Callers.Delegate("VN"), "a1", Stance.Oppose).Within();
        var changed = await proposal.TakeAmendmentPosition(Callers.Delegate("TH"), "a1", Stance.Oppose).Within();
        Assert.Equal([("VN", Stance.Oppose), ("TH", Stance.Oppose)], changed.Positions.Select(p => (p.Member, p.Stance)));
        changed = await proposal.TakeAmendmentPosition(Callers.Delegate("VN"), "a1", null).Within();
        Assert.Equal(["TH"], changed.Positions.Select(p => p.Member));

        var accepted = await proposal.AcceptAmendment(Callers.Delegate("SG"), "a1").Within();
        Assert.Equal(1, accepted.Revision);
        Assert.Equal((AmendmentStatus.Accepted, "SG", CallerRole.Delegate, 1L), (accepted.Amendment.Status, accepted.Amendment.DecidedBy, accepted.Amendment.DecidedRole, accepted.Amendment.AppliedRevision));

        var snapshot = await proposal.Open(Callers.Delegate("TH")).Within();
        Assert.Equal(Drafts.Text.Replace(Word, "settle", StringComparison.Ordinal), snapshot.Text);
        var edit = Assert.Single(await proposal.GetEditsSince(Callers.Delegate("TH"), 0).Within());
        Assert.Equal("MY", edit.Member);
        var audit = await proposal.GetAudit(Callers.Delegate("TH")).Within();
        Assert.Equal(("edit", "MY"), (audit[^2].Action, audit[^2].Member));
        Assert.Equal(("amendment-accepted", "SG"), (audit[^1].Action, audit[^1].Member));
        Assert.Contains("a1 by MY", audit[^1].Detail, StringComparison.Ordinal);
        Assert.Contains(audit, e => e.Action == "amendment-tabled" && e.Member == "MY");
        Assert.True((await proposal.VerifyAudit(Callers.Chair).Within()).Intact);

        // Pushed once durable: the edit under the author's name, then the accepted amendment.
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<AmendmentChanged>().Any(e => e.ProposalId == id && e.Amendment.Status == AmendmentStatus.Accepted)), "the acceptance is pushed");
        Assert.Contains(host.EventsOf<EditCommitted>(), e => e.ProposalId == id && e.Member == "MY" && e.Revision == 1 && e.Origin is null);
        Assert.Equal(5, host.EventsOf<AmendmentChanged>().Count(e => e.ProposalId == id && e.Amendment.Status == AmendmentStatus.Open));

        var again = await Assert.ThrowsAsync<DomainException>(() => proposal.AcceptAmendment(Callers.Delegate("SG"), "a1").Within());
        Assert.Equal(DomainErrorCodes.InvalidTransition, again.Code);

        // Reloaded from storage on another activation: the same.
        await host.Deactivate(proposal);
        var reloaded = await proposal.GetAnnotations(Callers.Delegate("TH")).Within();
        Assert.Equal(AmendmentStatus.Accepted, Assert.Single(reloaded.Amendments).Status);
    }

    [Fact]
    public async Task Insert_and_delete_amendments_apply_as_tabled_and_the_chair_may_accept_and_reject()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        var proposal = host.Proposal(id);
        var end = CodePoints.Length(Drafts.Text) - 1;
        var insert = await Table(host, id, "TH", 0, end, end, " and in good faith");
        var (start, stop) = Find(Drafts.Text, "peaceful ");
        var delete = await Table(host, id, "VN", 0, start, stop, null);
        var other = await Table(host, id, "VN", 0, 0, 3, "Both");
        Assert.Equal((AmendmentKind.Insert, AmendmentKind.Delete), (insert.Kind, delete.Kind));

        await proposal.AcceptAmendment(Callers.Chair, insert.Id).Within();
        var accepted = await proposal.AcceptAmendment(Callers.Delegate("SG"), delete.Id).Within();
        var rejected = await proposal.RejectAmendment(Callers.Chair, other.Id, "The Parties are named as such.").Within();
        Assert.Equal((AmendmentStatus.Rejected, "MY", CallerRole.Chair, "The Parties are named as such."), (rejected.Status, rejected.DecidedBy, rejected.DecidedRole, rejected.Reason));
        Assert.Equal(2, accepted.Revision);
        Assert.Equal("The Parties undertake to resolve their disputes by means and in good faith.", (await proposal.Open(Callers.Chair).Within()).Text);
        var edits = await proposal.GetEditsSince(Callers.Chair, 0).Within();
        Assert.Equal(["TH", "VN"], edits.Select(e => e.Member));
    }

    [Fact]
    public async Task Who_may_table_support_accept_reject_and_withdraw_on_a_confidential_group_draft()
    {
        await using var host = await GrainsHost.StartAsync();
        var group = await Drafts.Group(host, "PH", "PH", "VN", "SG");
        var id = await Drafts.Create(host, Callers.Delegate("VN"), group);
        var proposal = host.Proposal(id);
        var (start, end) = Find(Drafts.Text, Word);
        var before = (await proposal.Get(Callers.Chair).Within()).Version;

        await Refused(DomainErrorCodes.Forbidden, () => Table(host, id, "TH", 0, start, end, "settle"));
        await Refused(DomainErrorCodes.Forbidden, () => proposal.GetAnnotations(Callers.Delegate("TH")));
        await Refused(DomainErrorCodes.Forbidden, () => proposal.TableAmendment(Callers.Secretariat, new AmendmentDraft(0, start, end, "settle", "Why not.")));
        // The Chair reads and decides a group draft, but tables only where its member participates.
        await Refused(DomainErrorCodes.Forbidden, () => proposal.TableAmendment(Callers.Chair, new AmendmentDraft(0, start, end, "settle", "Why not.")));
        Assert.Equal(before, (await proposal.Get(Callers.Chair).Within()).Version);

        var a1 = await Table(host, id, "VN", 0, start, end, "settle");
        var a2 = await Table(host, id, "SG", 0, 0, 3, "Both");
        await Refused(DomainErrorCodes.Forbidden, () => proposal.TakeAmendmentPosition(Callers.Delegate("VN"), a1.Id, Stance.Support));
        await Refused(DomainErrorCodes.Forbidden, () => proposal.TakeAmendmentPosition(Callers.Delegate("TH"), a1.Id, Stance.Support));
        await Refused(DomainErrorCodes.Forbidden, () => proposal.TakeAmendmentPosition(Callers.Secretariat, a1.Id, Stance.Support));
        await proposal.TakeAmendmentPosition(Callers.Delegate("SG"), a1.Id, Stance.Support).Within();

        // At group level the pen-holder is the coordinator (PH), not the proposer (VN).
        await Refused(DomainErrorCodes.Forbidden, () => proposal.AcceptAmendment(Callers.Delegate("VN"), a1.Id));
        await Refused(DomainErrorCodes.Forbidden, () => proposal.AcceptAmendment(Callers.Delegate("SG"), a1.Id));
        await Refused(DomainErrorCodes.Forbidden, () => proposal.RejectAmendment(Callers.Delegate("SG"), a1.Id, "No."));
        await Refused(DomainErrorCodes.Forbidden, () => proposal.AcceptAmendment(Callers.Secretariat, a1.Id));
        await Refused(DomainErrorCodes.Forbidden, () => proposal.WithdrawAmendment(Callers.Delegate("VN"), a2.Id));
        await Refused(DomainErrorCodes.InvalidInput, () => proposal.RejectAmendment(Callers.Delegate("PH"), a1.Id, " "));
        await Refused(DomainErrorCodes.NotFound, () => proposal.AcceptAmendment(Callers.Delegate("PH"), "a9"));
        await Refused(DomainErrorCodes.NotFound, () => proposal.AcceptAmendment(Callers.Delegate("PH"), "a01"));

        await proposal.AcceptAmendment(Callers.Delegate("PH"), a1.Id).Within();
        var withdrawn = await proposal.WithdrawAmendment(Callers.Delegate("SG"), a2.Id).Within();
        Assert.Equal(AmendmentStatus.Withdrawn, withdrawn.Status);
        await Refused(DomainErrorCodes.InvalidTransition, () => proposal.RejectAmendment(Callers.Chair, a2.Id, "Too late."));

        // Only the group's participants (and Chair and secretariat, added by the host) are told.
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<AmendmentChanged>().Count(e => e.ProposalId == id) == 5), "every change is pushed");
        Assert.All(host.EventsOf<AmendmentChanged>().Where(e => e.ProposalId == id), e => Assert.Equal("PH,SG,VN", e.Audience.AllMembers ? "all" : string.Join(",", e.Audience.Members)));
    }

    [Fact]
    public async Task Bad_input_is_refused_with_a_code_and_stores_nothing()
    {
        await using var host = await GrainsHost.StartAsync(configure: o =>
        {
            o.Limits.MaxRevisionsBehind = 3;
            o.Limits.MaxOpenAmendments = 2;
            o.Limits.MaxJustificationLength = 50;
        });
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        var proposal = host.Proposal(id);
        var length = CodePoints.Length(Drafts.Text);
        var (start, end) = Find(Drafts.Text, Word);
        await Drafts.Append(host, id, "SG", 0, length, " A");
        await Drafts.Append(host, id, "SG", 1, length + 2, "B");
        await Drafts.Append(host, id, "SG", 2, length + 3, "C");
        await Drafts.Append(host, id, "SG", 3, length + 4, "D");
        await host.Proposal(id).SubmitEdit(Callers.Delegate("SG"), 4, TextOperation.Insert(start + 2, "x")).Within();
        var before = await proposal.Get(Callers.Chair).Within();

        await Refused(DomainErrorCodes.InvalidInput, () => Table(host, id, "MY", 5, length + 5, length + 7, "y"));
        await Refused(DomainErrorCodes.InvalidInput, () => Table(host, id, "MY", 5, 5, 4, "y"));
        await Refused(DomainErrorCodes.InvalidInput, () => Table(host, id, "MY", 5, -1, 2, "y"));
        await Refused(DomainErrorCodes.StaleRevision, () => Table(host, id, "MY", 6, 0, 2, "y"));
        await Refused(DomainErrorCodes.StaleRevision, () => Table(host, id, "MY", 1, 0, 2, "y"));
        await Refused(DomainErrorCodes.Conflict, () => Table(host, id, "MY", 4, start, end, "settle"));
        await Refused(DomainErrorCodes.TooLarge, () => Table(host, id, "MY", 5, 0, 3, "Both", new string('j', 51)));
        await Refused(DomainErrorCodes.InvalidInput, () => Table(host, id, "MY", 5, 0, 3, "Both", " "));
        await Refused(DomainErrorCodes.InvalidInput, () => Table(host, id, "MY", 5, 0, 3, "The"));
        await Refused(DomainErrorCodes.InvalidInput, () => Table(host, id, "MY", 5, 3, 3, ""));
        await Refused(DomainErrorCodes.InvalidInput, () => Table(host, id, "MY", 5, 0, 3, "a\u0007b"));
        var after = await proposal.Get(Callers.Chair).Within();
        Assert.Equal(before.Version, after.Version);
        Assert.Empty((await proposal.GetAnnotations(Callers.Chair).Within()).Amendments);

        // A range given on an older revision is brought forward when its text was not touched.
        var moved = await Table(host, id, "MY", 4, 0, 3, "Both");
        Assert.Equal((0, 3, "The", 5L), (moved.Start, moved.End, moved.Quote, moved.Revision));
        await Table(host, id, "MY", 5, length + 1, length + 2, "E");
        await Refused(DomainErrorCodes.TooLarge, () => Table(host, id, "MY", 5, 4, 10, "Members"));
        await proposal.WithdrawAmendment(Callers.Delegate("MY"), moved.Id).Within();
        await Table(host, id, "MY", 5, 4, 10, "Members");
    }

    [Fact]
    public async Task Many_small_amendments_and_comments_stop_at_the_stored_size_limit_and_the_refused_one_stores_nothing()
    {
        await using var host = await GrainsHost.StartAsync(configure: o =>
        {
            o.Limits.MaxAnnotationBytes = 2_000;
            o.Limits.MaxOpenAmendments = 100;
        });
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        var proposal = host.Proposal(id);
        var tabled = 0;
        DomainException? refused = null;
        for (var i = 0; i < 40 && refused is null; i++)
        {
            try
            {
                await Table(host, id, "MY", 0, i, i + 1, null, "x");
                tabled++;
            }
            catch (DomainException ex)
            {
                refused = ex;
            }
        }
        Assert.Equal(DomainErrorCodes.TooLarge, refused?.Code);
        Assert.InRange(tabled, 1, 39);
        var before = await proposal.Get(Callers.Chair).Within();
        await Refused(DomainErrorCodes.TooLarge, () => proposal.StartComment(Callers.Delegate("TH"), new CommentDraft(0, 0, 3, CommentScope.Range, "One more.", null)));
        Assert.Equal(before.Version, (await proposal.Get(Callers.Chair).Within()).Version);
        Assert.Equal(tabled, (await proposal.GetAnnotations(Callers.Chair).Within()).Amendments.Count);
    }

    [Fact]
    public async Task An_edit_of_its_text_outdates_an_amendment_which_then_cannot_be_accepted_and_a_locked_text_takes_none()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        var proposal = host.Proposal(id);
        var (start, end) = Find(Drafts.Text, Word);
        var amendment = await Table(host, id, "MY", 0, start, end, "settle");
        var point = await Table(host, id, "TH", 0, end, end, " peacefully");

        // Before it: moves. At its end: outside (it stays open), but touches the insertion point there.
        await proposal.SubmitEdit(Callers.Delegate("VN"), 0, TextOperation.Insert(0, "All ")).Within();
        await proposal.SubmitEdit(Callers.Delegate("VN"), 1, TextOperation.Insert(end + 4, "!")).Within();
        var view = await proposal.GetAnnotations(Callers.Chair).Within();
        Assert.Equal((AmendmentStatus.Open, start + 4, end + 4), (view.Amendments[0].Status, view.Amendments[0].Start, view.Amendments[0].End));
        Assert.Equal(AmendmentStatus.Outdated, view.Amendments[1].Status);

        await proposal.SubmitEdit(Callers.Delegate("VN"), 2, TextOperation.Delete(start + 5, 1)).Within();
        view = await proposal.GetAnnotations(Callers.Chair).Within();
        Assert.Equal((AmendmentStatus.Outdated, 3L), (view.Amendments[0].Status, view.Amendments[0].OutdatedAt));
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<AmendmentChanged>().Any(e => e.ProposalId == id && e.Amendment.Id == "a1" && e.Amendment.Status == AmendmentStatus.Outdated && e.Revision == 3)), "the outdated amendment is pushed");
        Assert.Contains(await proposal.GetAudit(Callers.Chair).Within(), e => e.Action == "amendment-outdated" && e.Member == "VN" && e.Detail.StartsWith("a1 by MY", StringComparison.Ordinal));
        await Refused(DomainErrorCodes.InvalidTransition, () => proposal.AcceptAmendment(Callers.Delegate("SG"), "a1"));
        await proposal.RejectAmendment(Callers.Delegate("SG"), "a1", "Overtaken by the edit.").Within();

        await proposal.Withdraw(Callers.Delegate("SG"), "Overtaken by events.").Within();
        await Refused(DomainErrorCodes.Locked, () => Table(host, id, "MY", 3, 0, 3, "Both"));
        await Refused(DomainErrorCodes.Locked, () => proposal.WithdrawAmendment(Callers.Delegate("TH"), "a2"));
    }

    [Fact]
    public async Task Under_random_concurrent_edits_an_amendment_keeps_its_text_while_untouched_and_is_outdated_once_changed()
    {
        await using var host = await GrainsHost.StartAsync();
        var outcomes = new List<AmendmentStatus>();
        for (var round = 0; round < 6; round++)
        {
            var random = new Random(100 + round);
            var avoid = round % 2 == 0;
            var text = "Member States shall exchange information on TARGET maritime incidents in a timely manner.";
            var id = await Drafts.Create(host, Callers.Delegate("SG"), text: text);
            var proposal = host.Proposal(id);
            var (start, end) = Find(text, "TARGET");
            await Table(host, id, "MY", 0, start, end, "relevant");
            await proposal.StartComment(Callers.Delegate("TH"), new CommentDraft(0, start, end, CommentScope.Range, "Which incidents?", null)).Within();

            var typists = new[] { "BN", "KH", "ID", "LA" }.Select(async (member, n) =>
            {
                var local = new Random(random.Next());
                var (revision, doc) = (0L, text);
                for (var i = 0; i < 12; i++)
                {
                    var target = doc.IndexOf("TARGET", StringComparison.Ordinal);
                    var hit = !avoid && n == 0 && i == 6 && target >= 0;
                    TextOperation op;
                    if (hit)
                    {
                        op = TextOperation.Delete(target + 2, 1);
                    }
                    else
                    {
                        var position = local.Next(doc.Length + 1);
                        var inside = target >= 0 && position > target && position < target + 6;
                        if (inside)
                        {
                            position = target;
                        }
                        var deletable = position < doc.Length && (target < 0 || position + 1 <= target || position >= target + 6);
                        op = local.Next(3) == 0 && deletable ? TextOperation.Delete(position, 1) : TextOperation.Insert(position, $"{member}{i} ");
                    }
                    await proposal.SubmitEdit(Callers.Delegate(member), revision, op).Within();
                    foreach (var edit in await proposal.GetEditsSince(Callers.Delegate(member), revision).Within())
                    {
                        doc = edit.Op.Apply(doc);
                        revision = edit.Revision;
                    }
                }
            });
            await Task.WhenAll(typists).Within();

            // The oracle replays what was committed, by character identity.
            var oracle = new AnchorOracle(text.Length);
            var marked = oracle.Mark(start, end);
            foreach (var edit in await proposal.GetEditsSince(Callers.Chair, 0).Within())
            {
                oracle.Apply(edit.Op);
            }
            var found = oracle.Find(marked);
            var view = await proposal.GetAnnotations(Callers.Chair).Within();
            var finalText = (await proposal.Open(Callers.Chair).Within()).Text;
            var amendment = Assert.Single(view.Amendments);
            var thread = Assert.Single(view.Threads);
            if (found is { } where)
            {
                Assert.Equal((AmendmentStatus.Open, where.Start, where.End), (amendment.Status, amendment.Start, amendment.End));
                Assert.Equal("TARGET", finalText[amendment.Start..amendment.End]);
                Assert.Equal((AnchorState.Current, where.Start, where.End), (thread.Anchor, thread.Start, thread.End));
            }
            else
            {
                Assert.Equal(AmendmentStatus.Outdated, amendment.Status);
                Assert.Equal(AnchorState.Outdated, thread.Anchor);
                await Refused(DomainErrorCodes.InvalidTransition, () => proposal.AcceptAmendment(Callers.Delegate("SG"), amendment.Id));
            }
            Assert.Equal(avoid, found is not null);
            outcomes.Add(amendment.Status);
        }
        Assert.Contains(AmendmentStatus.Open, outcomes);
        Assert.Contains(AmendmentStatus.Outdated, outcomes);
    }

    internal static async Task Refused<T>(string code, Func<Task<T>> call)
    {
        var refused = await Assert.ThrowsAsync<DomainException>(() => call().Within());
        Assert.Equal(code, refused.Code);
    }
}
