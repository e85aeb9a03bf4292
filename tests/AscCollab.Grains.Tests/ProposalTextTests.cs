using System.Text.Json;
using AscCollab.Storage;
using AscCollab.Text;

namespace AscCollab.Grains.Tests;

/// <summary>The text of a group commit's edits is computed once, when read: the same text as each edit applied in turn.</summary>
public sealed class ProposalTextTests
{
    private const string Start = "ASEAN members shall \U0001F30F settle disputes by peaceful means.\nArt. 2. Consult.";

    [Fact]
    public void Edits_short_of_the_end_wait_until_read_and_give_the_text_of_each_edit_applied_in_turn()
    {
        var random = new Random(7);
        // Long enough that the pending edits outgrow MaxPendingComponents.
        var start = string.Concat(Enumerable.Repeat(Start, 40));
        var state = new ProposalState { Text = start, TextLength = CodePoints.Length(start) };
        var expected = start;
        var states = new List<(ProposalState State, string Text)>();
        for (var i = 0; i < 300; i++)
        {
            var op = RandomOpShortOfTheEnd(random, expected);
            expected = op.Apply(expected);
            state = state.WithTextAfter(op) with { TextLength = CodePoints.Length(expected) };
            states.Add((state, expected));
        }

        // Computed only where the pending edits reached MaxPendingComponents: 300 edits, a few copies of the document.
        Assert.InRange(states.Count(s => !s.State.TextPending), 3, 30);
        Assert.True(states[^1].State.TextPending);
        // Read in any order, each state has its own text; past MaxPendingComponents the pending edits were applied and composing went on from there.
        foreach (var (s, text) in states.AsEnumerable().Reverse())
        {
            Assert.Equal(text, s.Text);
            Assert.False(s.TextPending);
        }
    }

    [Fact]
    public void An_op_that_reaches_the_end_of_the_text_is_refused_to_the_deferred_path()
    {
        var state = new ProposalState { Text = "abc", TextLength = 3 };

        Assert.Throws<ArgumentException>(() => state.WithTextAfter(TextOperation.Insert(3, "d")));
        Assert.Throws<ArgumentException>(() => state.WithTextAfter(TextOperation.Delete(2, 1)));
        Assert.Equal("abxc", state.WithTextAfter(TextOperation.Insert(2, "x")).Text);
        Assert.Same(state.Text, state.WithTextAfter(TextOperation.Empty).Text);
    }

    [Fact]
    public async Task Readers_on_several_threads_get_one_text()
    {
        for (var round = 0; round < 50; round++)
        {
            var state = new ProposalState { Text = Start, TextLength = CodePoints.Length(Start) }
                .WithTextAfter(TextOperation.Insert(5, "x"))
                .WithTextAfter(TextOperation.Delete(0, 2));
            using var go = new ManualResetEventSlim();
            var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                go.Wait();
                return state.Text;
            })).ToList();
            go.Set();
            var texts = await Task.WhenAll(readers).Within();

            Assert.Equal("EANx members shall \U0001F30F settle disputes by peaceful means.\nArt. 2. Consult.", texts[0]);
            Assert.All(texts, t => Assert.Same(texts[0], t));
        }
    }

    [Fact]
    public void A_row_written_before_text_rows_holds_its_text_and_one_written_since_does_not()
    {
        var state = new ProposalState { Created = true, Text = Start, TextLength = CodePoints.Length(Start), Revision = 1 }
            .WithTextAfter(TextOperation.Insert(0, "Art. 1. "));

        // Before text rows: the text in the row, computed when written.
        var read = JsonSerializer.Deserialize<ProposalState>(JsonSerializer.Serialize(state, StateJson.Options), StateJson.Options)!;
        Assert.Equal("Art. 1. " + Start, read.Text);
        Assert.Null(read.TextAt);
        Assert.True(ProposalLog.TextRowDue(read));

        // Since: the row names its text row, holds no text, and its text is not read until rebuilt.
        var json = JsonSerializer.Serialize(state with { TextAt = 1 }, StateJson.Options);
        Assert.DoesNotContain("Art. 1.", json, StringComparison.Ordinal);
        var since = JsonSerializer.Deserialize<ProposalState>(json, StateJson.Options)!;
        Assert.Equal(1, since.TextAt);
        Assert.False(since.TextLoaded);
        Assert.Throws<InvalidOperationException>(() => since.Text);
        Assert.False(ProposalLog.TextRowDue(since with { Revision = 64 }));
        Assert.True(ProposalLog.TextRowDue(since with { Revision = 65 }));
    }

    [Fact]
    public async Task A_call_of_many_edits_commits_and_stores_the_text_of_its_edits_in_turn()
    {
        var storage = new TestStorage();
        await using var host = await GrainsHost.StartAsync(storage: storage);
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: Start);
        var proposal = host.Proposal(id);
        var random = new Random(11);
        var reference = Start;
        for (var call = 0; call < 5; call++)
        {
            var revision = (await proposal.Open(Callers.Delegate("SG")).Within()).Revision;
            // Every edit made on the same revision: the grain transforms each over those before it.
            var edits = Enumerable.Range(0, IProposalGrain.MaxEditsPerCall)
                .Select(i => new EditSubmission(Callers.Delegate(i % 2 == 0 ? "PH" : "TH"), revision, RandomOp(random, reference), null))
                .ToList();
            var outcomes = await proposal.SubmitEdits(edits).Within();

            Assert.All(outcomes, o => Assert.Null(o.Error));
            foreach (var outcome in outcomes)
            {
                reference = outcome.Ack!.Op.Apply(reference);
            }
            Assert.Equal(reference, (await proposal.Open(Callers.Delegate("SG")).Within()).Text);
        }

        var stored = await storage.ReadStateAsync(GrainId.Create("proposal", id), "state", default).Within();
        var state = JsonSerializer.Deserialize<ProposalState>(stored!.Json, StateJson.Options)!;
        Assert.Equal(CodePoints.Length(reference), state.TextLength);
        Assert.Equal(5L * IProposalGrain.MaxEditsPerCall, state.Revision);
        // Another activation rebuilds the text from the rows: its text row and the op log after it.
        await using var again = await GrainsHost.StartAsync(storage: storage);
        Assert.Equal(reference, (await again.Proposal(id).Open(Callers.Delegate("SG")).Within()).Text);
    }

    [Fact]
    public async Task Text_rows_come_every_so_many_revisions_and_the_text_is_rebuilt_from_the_last_one()
    {
        var storage = new TestStorage();
        var grain = default(GrainId);
        string id;
        var reference = "Art. 1.";
        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            id = await Drafts.Create(host, Callers.Delegate("SG"), text: reference);
            grain = GrainId.Create("proposal", id);
            for (var revision = 0; revision < ProposalLog.MinRevisionsPerTextRow + 6; revision++)
            {
                var op = TextOperation.Insert(CodePoints.Length(reference), revision % 10 == 9 ? "\n" : "x");
                reference = op.Apply(reference);
                await host.Proposal(id).SubmitEdit(Callers.Delegate("PH"), revision, op).Within();
            }
        }

        // A short text: a text row at creation and one 64 revisions later; the state row names the last.
        var rows = await storage.ReadLogAsync(grain, ProposalLog.TextStream, 0, long.MaxValue, default).Within();
        Assert.Equal([0L, ProposalLog.MinRevisionsPerTextRow], rows.Select(r => r.Sequence));
        var stored = JsonSerializer.Deserialize<ProposalState>((await storage.ReadStateAsync(grain, "state", default).Within())!.Json, StateJson.Options)!;
        Assert.Equal(ProposalLog.MinRevisionsPerTextRow, stored.TextAt);
        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            Assert.Equal(reference, (await host.Proposal(id).Open(Callers.Delegate("SG")).Within()).Text);
            Assert.Equal(reference, (await host.Proposal(id).GetTextAt(Callers.Delegate("SG"), ProposalLog.MinRevisionsPerTextRow + 6).Within()).Text);
        }

        // The text row unreadable (storage damaged): the text is rebuilt from the whole op log.
        storage.Tamper(grain, ProposalLog.TextStream, ProposalLog.MinRevisionsPerTextRow, "{}");
        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            Assert.Equal(reference, (await host.Proposal(id).Open(Callers.Delegate("SG")).Within()).Text);
            Assert.True((await host.Proposal(id).VerifyAudit(Callers.Chair).Within()).Intact);
        }
    }

    [Fact]
    public async Task A_row_that_holds_its_text_is_read_and_the_next_change_writes_its_text_row()
    {
        var storage = new TestStorage();
        string id;
        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            id = await Drafts.Create(host, Callers.Delegate("SG"), text: "Art. 1. Peace.");
            await host.Proposal(id).SubmitEdit(Callers.Delegate("PH"), 0, TextOperation.Insert(8, "Lasting ")).Within();
        }
        var grain = GrainId.Create("proposal", id);
        // As rows were written before text rows: the text in the state row, no text row named.
        await Forge.RewriteState(storage, grain, s => s with { TextAt = null, Text = "Art. 1. Lasting Peace." });
        Assert.Contains("Lasting Peace", (await storage.ReadStateAsync(grain, "state", default).Within())!.Json, StringComparison.Ordinal);

        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            var proposal = host.Proposal(id);
            Assert.Equal("Art. 1. Lasting Peace.", (await proposal.Open(Callers.Delegate("SG")).Within()).Text);
            await proposal.SubmitEdit(Callers.Delegate("TH"), 1, TextOperation.Delete(8, 8)).Within();
        }

        var stored = (await storage.ReadStateAsync(grain, "state", default).Within())!;
        Assert.DoesNotContain("Peace", stored.Json, StringComparison.Ordinal);
        Assert.Equal(2, JsonSerializer.Deserialize<ProposalState>(stored.Json, StateJson.Options)!.TextAt);
        var row = Assert.Single(await storage.ReadLogAsync(grain, ProposalLog.TextStream, 2, 2, default).Within());
        Assert.Equal("Art. 1. Peace.", ProposalLog.ReadText(row));
    }

    /// <summary>An insert or a delete anywhere in <paramref name="text"/>, the end included.</summary>
    private static TextOperation RandomOp(Random random, string text)
    {
        var length = CodePoints.Length(text);
        var position = random.Next(length + 1);
        return random.Next(4) == 0 && position < length
            ? TextOperation.Delete(position, Math.Min(1 + random.Next(3), length - position))
            : TextOperation.Insert(position, random.Next(5) == 0 ? "\U0001F30F" : "abc"[random.Next(3)].ToString());
    }

    private static TextOperation RandomOpShortOfTheEnd(Random random, string text)
    {
        var length = CodePoints.Length(text);
        var position = random.Next(length - 1);
        return random.Next(4) == 0
            ? TextOperation.Delete(position, 1)
            : TextOperation.Insert(position, random.Next(5) == 0 ? "\U0001F30F" : "xyz"[random.Next(3)].ToString());
    }
}
