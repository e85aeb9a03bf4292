using AscCollab.Text;

namespace AscCollab.Grains.Tests;

public sealed class EditingTests
{
    private static readonly string[] Typists = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG"];

    [Fact]
    public async Task Concurrent_edits_at_random_positions_converge_and_a_second_host_sees_every_acked_op()
    {
        var storage = new TestStorage { WriteLatency = TimeSpan.FromMilliseconds(3) };
        string id;
        string text;
        var acked = new List<EditAck>();
        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            id = await Drafts.Create(host, Callers.Delegate("SG"), text: "");
            var proposal = host.Proposal(id);
            var random = new Random(42);
            var writesBefore = storage.WritesOf(GrainId.Create("proposal", id));

            // Each typist runs a closed loop against what it last saw, like a client with one op in flight.
            var typists = Typists.Select(async (member, n) =>
            {
                var seed = random.Next();
                var local = new Random(seed);
                var mine = new List<EditAck>();
                var snapshot = await proposal.Open(Callers.Delegate(member)).Within();
                var (revision, doc) = (snapshot.Revision, snapshot.Text);
                for (var i = 0; i < 25; i++)
                {
                    var position = local.Next(CodePoints.Length(doc) + 1);
                    var op = local.Next(4) == 0 && doc.Length > 2
                        ? TextOperation.Delete(Math.Min(position, CodePoints.Length(doc) - 1), 1)
                        : TextOperation.Insert(position, $"{member}{i};");
                    var ack = await proposal.SubmitEdit(Callers.Delegate(member), revision, op).Within();
                    mine.Add(ack);
                    // Catch up through the contract, as a client does after its ack.
                    var since = await proposal.GetEditsSince(Callers.Delegate(member), revision).Within();
                    foreach (var edit in since)
                    {
                        doc = edit.Op.Apply(doc);
                    }
                    revision = since.Count > 0 ? since[^1].Revision : revision;
                }
                return (mine, doc, revision);
            }).ToList();
            var results = await Task.WhenAll(typists).Within();

            foreach (var (mine, _, _) in results)
            {
                Assert.Equal(mine.Select(a => a.Revision).Order(), mine.Select(a => a.Revision));
                acked.AddRange(mine);
            }
            var final = await proposal.Open(Callers.Delegate("SG")).Within();
            Assert.Equal(Typists.Length * 25, final.Revision);
            Assert.Equal(Enumerable.Range(1, Typists.Length * 25).Select(r => (long)r), acked.Select(a => a.Revision).Order());

            var all = await proposal.GetEditsSince(Callers.Delegate("SG"), 0).Within();
            Assert.Equal(final.Text, all.Aggregate("", (doc, e) => e.Op.Apply(doc)));
            foreach (var ack in acked)
            {
                Assert.Equal(ack.Op, all[(int)ack.Revision - 1].Op);
            }
            // Each typist ends at the head, so its document is the server's.
            Assert.All(results.Where(r => r.revision == final.Revision), r => Assert.Equal(final.Text, r.doc));

            await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<EditCommitted>().Count(e => e.ProposalId == id) >= final.Revision), "every edit is pushed");
            // Each edit exactly once. Orleans does not keep the arrival order of notifications sent in one
            // turn (a commit of several edits), so clients apply EditApplied by revision, as the contract says.
            var events = host.EventsOf<EditCommitted>().Where(e => e.ProposalId == id).Select(e => e.Revision).Order().ToList();
            Assert.Equal(Enumerable.Range(1, (int)final.Revision).Select(r => (long)r), events);
            Assert.True(storage.WritesOf(GrainId.Create("proposal", id)) - writesBefore < final.Revision, "concurrent edits share writes (group commit)");
            text = final.Text;
        }

        await using var second = await GrainsHost.StartAsync(storage: storage);
        var reloaded = await second.Proposal(id).Open(Callers.Delegate("PH")).Within();
        Assert.Equal(text, reloaded.Text);
        Assert.Equal(acked.Count, reloaded.Revision);
        var log = await second.Proposal(id).GetEditsSince(Callers.Delegate("PH"), 0).Within();
        Assert.Equal(text, log.Aggregate("", (doc, e) => e.Op.Apply(doc)));
        Assert.True((await second.Proposal(id).VerifyAudit(Callers.Secretariat).Within()).Intact);
    }

    [Fact]
    public async Task An_op_on_an_old_revision_is_transformed_over_later_ones_with_the_incoming_op_on_the_left()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "ab");
        var first = await host.Proposal(id).SubmitEdit(Callers.Delegate("SG"), 0, TextOperation.Insert(1, "X")).Within();
        var second = await host.Proposal(id).SubmitEdit(Callers.Delegate("PH"), 0, TextOperation.Insert(1, "Y")).Within();

        Assert.Equal(1, first.Revision);
        Assert.Equal(2, second.Revision);
        // Tie at the same position: the later op goes first (left), as ShareDB's server orders it.
        Assert.Equal(TextOperation.Insert(1, "Y"), second.Op);
        Assert.Equal("aYXb", (await host.Proposal(id).Open(Callers.Delegate("SG")).Within()).Text);
    }

    [Fact]
    public async Task Edits_older_than_the_memory_window_are_read_from_the_log()
    {
        await using var host = await GrainsHost.StartAsync(configure: o => o.Limits.RecentOpsInMemory = 4);
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "");
        for (var i = 0; i < 12; i++)
        {
            await Drafts.Append(host, id, "SG", i, 0, "a");
        }
        var late = await host.Proposal(id).SubmitEdit(Callers.Delegate("PH"), 1, TextOperation.Insert(1, "Z")).Within();
        Assert.Equal(13, late.Revision);
        Assert.Equal(TextOperation.Insert(12, "Z"), late.Op);
        var since = await host.Proposal(id).GetEditsSince(Callers.Delegate("PH"), 2).Within();
        Assert.Equal(Enumerable.Range(3, 11).Select(r => (long)r), since.Select(e => e.Revision));
    }

    [Fact]
    public async Task After_a_commit_of_several_edits_the_next_commit_lingers_for_more()
    {
        // A long linger so the test does not depend on timing: E arrives well inside it.
        await using var host = await GrainsHost.StartAsync(configure: o => o.Limits.CommitLingerMilliseconds = 50);
        var (proposal, grain, writesBefore) = await AfterABatchOfTwo(host);

        // The next edit waits up to 50 ms for company; one arriving meanwhile shares its write.
        var d = proposal.SubmitEdit(Callers.Delegate("SG"), 3, TextOperation.Insert(0, "d"));
        await Task.Delay(10);
        var e = proposal.SubmitEdit(Callers.Delegate("PH"), 3, TextOperation.Insert(0, "e"));
        var acks = await Task.WhenAll(d, e).Within();

        // Which of the two the grain takes first is up to the scheduler (D is sent 10 ms earlier,
        // but a busy machine can deliver E first); either way they share one write.
        Assert.Equal([4L, 5L], acks.Select(a => a.Revision).Order());
        Assert.Equal(writesBefore + 1, host.Storage.WritesOf(grain));
        Assert.Equal(5, (await proposal.Open(Callers.Delegate("SG")).Within()).Text.Length);
        // The watching node hears of the two edits in one message, in revision order.
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<EditsCommitted>().Any(b => b.Edits.Any(x => x.Revision == 5))), "the batch reaches the watching node");
        var batch = Assert.Single(host.EventsOf<EditsCommitted>(), b => b.Edits.Any(x => x.Revision == 5));
        Assert.Equal([4L, 5L], batch.Edits.Select(x => x.Revision));
        string[] inOrder = acks[0].Revision == 4 ? ["SG", "PH"] : ["PH", "SG"];
        Assert.Equal(inOrder, batch.Edits.Select(x => x.Member));
    }

    [Fact]
    public async Task Without_linger_each_edit_after_a_batch_is_written_at_once()
    {
        await using var host = await GrainsHost.StartAsync(configure: o => o.Limits.CommitLingerMilliseconds = 0);
        var (proposal, grain, writesBefore) = await AfterABatchOfTwo(host);

        await proposal.SubmitEdit(Callers.Delegate("SG"), 3, TextOperation.Insert(0, "d")).Within();
        await proposal.SubmitEdit(Callers.Delegate("PH"), 4, TextOperation.Insert(0, "e")).Within();

        Assert.Equal(writesBefore + 2, host.Storage.WritesOf(grain));
    }

    [Fact]
    public async Task Several_edits_in_one_call_are_one_write_and_each_is_answered_on_its_own()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "abc");
        var proposal = host.Proposal(id);
        var grain = GrainId.Create("proposal", id);
        var writesBefore = host.Storage.WritesOf(grain);

        var outcomes = await proposal.SubmitEdits(
        [
            new(Callers.Delegate("SG"), 0, TextOperation.Insert(0, "1"), null),
            // Refused: past the end of the text; the others are not affected.
            new(Callers.Delegate("PH"), 0, TextOperation.Insert(9, "x"), null),
            new(Callers.Delegate("TH"), 0, TextOperation.Insert(3, "2"), "th-op-1"),
            // Refused: the secretariat edits nothing.
            new(Callers.Secretariat, 0, TextOperation.Insert(0, "s"), null),
            new(Callers.Delegate("MY"), 1, TextOperation.Insert(1, "3"), null),
        ]).Within();

        Assert.Equal(5, outcomes.Count);
        Assert.Equal([1L, 2L, 3L], outcomes.Where(o => o.Ack is not null).Select(o => o.Ack!.Revision));
        Assert.Equal(DomainErrorCodes.InvalidOp, Assert.IsType<DomainException>(outcomes[1].Error).Code);
        Assert.Equal(DomainErrorCodes.Forbidden, Assert.IsType<DomainException>(outcomes[3].Error).Code);
        Assert.Null(outcomes[0].Error);
        // TH's op was transformed over SG's (made on revision 0, applied at revision 2).
        Assert.Equal(TextOperation.Insert(4, "2"), outcomes[2].Ack!.Op);
        Assert.Equal(writesBefore + 1, host.Storage.WritesOf(grain));
        Assert.Equal("13abc2", (await proposal.Open(Callers.Delegate("SG")).Within()).Text);
        // The op id travelled with the edit: sent again, it answers the first revision and applies nothing.
        var again = await proposal.SubmitTrackedEdit(Callers.Delegate("TH"), 0, TextOperation.Insert(3, "2"), "th-op-1").Within();
        Assert.Equal(2, again.Revision);
        Assert.Equal(3, (await proposal.Open(Callers.Delegate("SG")).Within()).Revision);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(IProposalGrain.MaxEditsPerCall + 1)]
    public async Task A_call_with_no_edits_or_too_many_is_refused_whole(int count)
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "abc");
        var edits = Enumerable.Range(0, count).Select(_ => new EditSubmission(Callers.Delegate("SG"), 0, TextOperation.Insert(0, "x"), null)).ToList();

        var refused = await Assert.ThrowsAsync<DomainException>(() => host.Proposal(id).SubmitEdits(edits).Within());

        Assert.Equal(DomainErrorCodes.InvalidInput, refused.Code);
        Assert.Equal(0, (await host.Proposal(id).Open(Callers.Delegate("SG")).Within()).Revision);
    }

    /// <summary>A lone edit, then two that queued behind its paused write and were committed together; the writes so far.</summary>
    private static async Task<(IProposalGrain Proposal, GrainId Grain, int Writes)> AfterABatchOfTwo(GrainsHost host)
    {
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "");
        await Drafts.EditsQueuedBehindAWrite(host, id, "PH", "TH");
        var grain = GrainId.Create("proposal", id);
        return (host.Proposal(id), grain, host.Storage.WritesOf(grain));
    }

    [Fact]
    public async Task A_failed_write_fails_every_caller_in_it_broadcasts_nothing_and_the_grain_carries_on()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "base");
        var proposal = host.Proposal(id);
        var eventsBefore = host.EventsOf<EditCommitted>().Count;

        var grain = GrainId.Create("proposal", id);
        host.Storage.FailNextWrites(grain, 1);
        host.Storage.PauseWrites(grain);
        var arrived = host.Arrivals.Of(grain);
        var attempts = Enumerable.Range(0, 5).Select(i => proposal.SubmitEdit(Callers.Delegate("SG"), 0, TextOperation.Insert(0, $"{i}"))).ToList();
        // The first batch is in flight and the other edits queue behind it.
        await Timeouts.Eventually(() => Task.FromResult(host.Storage.WaitingWrites == 1), "the first write is in flight");
        await Timeouts.Eventually(() => Task.FromResult(host.Arrivals.Of(grain) == arrived + 5), "every edit is queued");
        host.Storage.ResumeWrites();
        foreach (var attempt in attempts)
        {
            var error = await Assert.ThrowsAsync<DomainException>(() => attempt.Within());
            Assert.Equal(DomainErrorCodes.Unavailable, error.Code);
        }
        Assert.Equal(eventsBefore, host.EventsOf<EditCommitted>().Count);
        var unchanged = await proposal.Open(Callers.Delegate("SG")).Within();
        Assert.Equal((0L, "base"), (unchanged.Revision, unchanged.Text));

        var retry = await proposal.SubmitEdit(Callers.Delegate("SG"), 0, TextOperation.Insert(4, "!")).Within();
        Assert.Equal(1, retry.Revision);
        Assert.Equal("base!", (await proposal.Open(Callers.Delegate("SG")).Within()).Text);
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<EditCommitted>().Any(e => e.ProposalId == id)), "the retry is pushed");
        Assert.Equal([retry.Op], host.EventsOf<EditCommitted>().Where(e => e.ProposalId == id).Select(e => e.Op));
        Assert.True((await proposal.VerifyAudit(Callers.Secretariat).Within()).Intact);
    }

    [Fact]
    public async Task A_write_that_committed_but_lost_its_answer_is_acknowledged_once()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "base");
        var proposal = host.Proposal(id);

        host.Storage.LoseNextAnswers(GrainId.Create("proposal", id), 1);
        var ack = await proposal.SubmitEdit(Callers.Delegate("SG"), 0, TextOperation.Insert(4, "!")).Within();
        Assert.Equal(1, ack.Revision);

        var next = await proposal.SubmitEdit(Callers.Delegate("PH"), 1, TextOperation.Insert(0, ">")).Within();
        Assert.Equal(2, next.Revision);
        Assert.Equal(">base!", (await proposal.Open(Callers.Delegate("SG")).Within()).Text);
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<EditCommitted>().Count(e => e.ProposalId == id) == 2), "both edits are pushed");
        // Orleans does not promise the arrival order of one-way notifications; clients apply events by revision.
        Assert.Equal([1L, 2L], host.EventsOf<EditCommitted>().Where(e => e.ProposalId == id).Select(e => e.Revision).Order());
    }

    [Fact]
    public async Task One_commit_of_several_edits_is_one_op_row_and_every_read_of_the_log_unpacks_it()
    {
        var storage = new TestStorage();
        string id;
        GrainId grain;
        await using (var host = await GrainsHost.StartAsync(storage: storage, configure: o => o.Limits.RecentOpsInMemory = 1))
        {
            id = await Drafts.Create(host, Callers.Delegate("SG"), text: "");
            var proposal = host.Proposal(id);
            grain = GrainId.Create("proposal", id);
            await Drafts.EditsQueuedBehindAWrite(host, id, "PH", "TH", "VN", "MY");

            var rows = await storage.ReadLogAsync(grain, ProposalLog.OpStream, 0, 100, default).Within();
            Assert.Equal([0L, 1L, 2L], rows.Select(r => r.Sequence));
            Assert.Equal([2L, 3L, 4L, 5L], ProposalLog.ReadOps(rows[2]).Select(e => e.Revision));

            // Each record is in the packed row exactly as written, so its audit hash still matches storage.
            var records = ProposalLog.ReadOps(rows[2]).Select(e => ProposalLog.OpRow(e).Json).ToList();
            Assert.Equal("[" + string.Join(",", records) + "]", rows[2].Json);
            var editEntries = (await proposal.GetAudit(Callers.Chair).Within()).Where(e => e.Action == "edit" && e.Revision >= 2);
            Assert.Equal(records.Select(r => $"op sha256 {AuditChain.Sha256Hex(r)}"), editEntries.Select(e => e.Detail));

            // Revision 3 lies inside the packed row: reads that start there see only what follows it.
            Assert.Equal([4L, 5L], (await proposal.GetEditsSince(Callers.Delegate("PH"), 3).Within()).Select(e => e.Revision));
            var late = await proposal.SubmitEdit(Callers.Delegate("ID"), 3, TextOperation.Insert(0, "z")).Within();
            Assert.Equal(6, late.Revision);
        }

        // A new activation (a restart) reads the same log.
        await using var restarted = await GrainsHost.StartAsync(storage: storage, configure: o => o.Limits.RecentOpsInMemory = 1);
        var reopened = restarted.Proposal(id);
        var edits = await reopened.GetEditsSince(Callers.Delegate("ID"), 0).Within();
        Assert.Equal(Enumerable.Range(1, 6).Select(r => (long)r), edits.Select(e => e.Revision));
        var text = "";
        for (var r = 1; r <= 6; r++)
        {
            text = edits[r - 1].Op.Apply(text);
            Assert.Equal(text, (await reopened.GetTextAt(Callers.Delegate("ID"), r).Within()).Text);
        }
        Assert.Equal(text, (await reopened.Open(Callers.Delegate("ID")).Within()).Text);
        Assert.Equal(6, text.Length);
    }

    [Fact]
    public void Packing_keeps_a_record_larger_than_the_cap_in_its_own_row_and_caps_the_records_per_row()
    {
        var at = GrainsHost.Start;
        LogEntry Op(long revision, int length) => ProposalLog.OpRow(new CommittedEdit(revision, TextOperation.Insert(0, new string('x', length)), "SG", at));
        List<LogEntry> rows = [Op(10, 1), Op(11, ProposalLog.MaxPackedChars), Op(12, 1), Op(13, 1)];
        var packed = ProposalLog.Pack(rows);
        Assert.Equal([10L, 11L, 12L], packed.Select(r => r.Sequence));
        Assert.Equal([10L, 11L, 12L, 13L], packed.SelectMany(ProposalLog.ReadOps).Select(e => e.Revision));

        var many = Enumerable.Range(1, ProposalLog.MaxPackedRecords + 5).Select(r => Op(r, 1)).ToList();
        var capped = ProposalLog.Pack(many);
        Assert.Equal([1L, 1L + ProposalLog.MaxPackedRecords], capped.Select(r => r.Sequence));
        Assert.Equal(1, ProposalLog.FirstRowKeyFor(ProposalLog.MaxPackedRecords));
    }

    [Fact]
    public async Task The_text_at_any_revision_is_rebuilt_from_the_log_including_deleted_original_text()
    {
        await using var host = await GrainsHost.StartAsync(configure: o => o.Limits.RecentOpsInMemory = 2);
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "peace and stability");
        var proposal = host.Proposal(id);
        await proposal.SubmitEdit(Callers.Delegate("SG"), 0, TextOperation.Delete(0, 6)).Within();
        await proposal.SubmitEdit(Callers.Delegate("PH"), 1, TextOperation.Insert(0, "Regional ")).Within();
        await proposal.SubmitEdit(Callers.Delegate("MY"), 2, TextOperation.Insert(CodePoints.Length("Regional and stability"), " 🌏")).Within();

        var texts = new List<string>();
        for (var r = 0; r <= 3; r++)
        {
            var at = await proposal.GetTextAt(Callers.Delegate("ID"), r).Within();
            Assert.Equal(r, at.Revision);
            texts.Add(at.Text);
        }
        Assert.Equal(["peace and stability", "and stability", "Regional and stability", "Regional and stability 🌏"], texts);
        var beyond = await Assert.ThrowsAsync<DomainException>(() => proposal.GetTextAt(Callers.Delegate("ID"), 4).Within());
        Assert.Equal(DomainErrorCodes.NotFound, beyond.Code);
        Assert.Equal([1L, 2L, 3L], (await proposal.GetEditsSince(Callers.Delegate("ID"), 0).Within()).Select(e => e.Revision));
    }

    [Theory]
    [InlineData(-1, DomainErrorCodes.StaleRevision)]
    // Ahead of the proposal: only a revision storage lost (or one the client invented) can be.
    [InlineData(5, DomainErrorCodes.RevisionLost)]
    public async Task A_base_revision_outside_the_log_is_refused(long baseRevision, string code)
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "abc");
        var error = await Assert.ThrowsAsync<DomainException>(() => host.Proposal(id).SubmitEdit(Callers.Delegate("SG"), baseRevision, TextOperation.Insert(0, "x")).Within());
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public async Task Invalid_and_oversize_ops_are_refused_and_change_nothing()
    {
        await using var host = await GrainsHost.StartAsync(configure: o => o.Limits.MaxTextCodePoints = 10);
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "abc");
        var proposal = host.Proposal(id);

        var beyond = await Assert.ThrowsAsync<DomainException>(() => proposal.SubmitEdit(Callers.Delegate("SG"), 0, TextOperation.Insert(7, "x")).Within());
        Assert.Equal(DomainErrorCodes.InvalidOp, beyond.Code);
        var tooLarge = await Assert.ThrowsAsync<DomainException>(() => proposal.SubmitEdit(Callers.Delegate("SG"), 0, TextOperation.Insert(0, "12345678")).Within());
        Assert.Equal(DomainErrorCodes.TooLarge, tooLarge.Code);
        var oversizeCreate = await Assert.ThrowsAsync<DomainException>(() => Drafts.Create(host, Callers.Delegate("SG"), text: new string('x', 11)));
        Assert.Equal(DomainErrorCodes.TooLarge, oversizeCreate.Code);

        var snapshot = await proposal.Open(Callers.Delegate("SG")).Within();
        Assert.Equal((0L, "abc"), (snapshot.Revision, snapshot.Text));
        Assert.Single(await proposal.GetAudit(Callers.Secretariat).Within());
    }
}
