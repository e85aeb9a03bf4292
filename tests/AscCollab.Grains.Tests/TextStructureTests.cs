using AscCollab.Text;

namespace AscCollab.Grains.Tests;

/// <summary>The pure parts of drafting: paragraphs and numbering, brackets, anchors, attribution (docs/drafting.md).</summary>
public sealed class TextStructureTests
{
    public const string Resolution =
        "Recalling the Treaty of Amity and Cooperation,\n\n" +
        "Noting the [importance][urgency] of maritime safety,\n\n" +
        "Have agreed as follows:\n\n" +
        "Member States [shall][should] notify major exercises.\n\n" +
        "The Secretariat shall keep a register\nof notifications.";

    private static DraftStructure Derive(string text, IReadOnlyList<AdReferendumMark>? marks = null) =>
        TextStructure.Derive("p-test", 1, "", text, marks ?? []);

    [Fact]
    public void Paragraphs_are_numbered_preambular_before_the_chapeau_and_operative_after_it()
    {
        var s = Derive(Resolution);
        Assert.Equal(["PP1", "PP2", null, "OP1", "OP2"], s.Paragraphs.Select(p => p.Number));
        Assert.Equal([ParagraphKind.Preambular, ParagraphKind.Preambular, ParagraphKind.Chapeau, ParagraphKind.Operative, ParagraphKind.Operative], s.Paragraphs.Select(p => p.Kind));
        Assert.Equal([ParagraphStatus.Agreed, ParagraphStatus.Bracketed, ParagraphStatus.Agreed, ParagraphStatus.Bracketed, ParagraphStatus.Agreed], s.Paragraphs.Select(p => p.Status));
        var op2 = s.Paragraphs[4];
        Assert.Equal("The Secretariat shall keep a register\nof notifications.", Resolution[op2.Start..op2.End]);
        Assert.Equal(new StructureCounts(2, 2, 2, 2, 0, 0, 0), s.Counts);
    }

    [Fact]
    public void A_text_without_a_paragraph_ending_in_a_colon_is_all_operative_and_blank_lines_of_spaces_separate()
    {
        var s = Derive("\n\nFirst.\n  \t\nSecond: not the end\r\n\r\nThird.\n\n\n");
        Assert.Equal(["OP1", "OP2", "OP3"], s.Paragraphs.Select(p => p.Number));
        Assert.Equal("Second: not the end", "\n\nFirst.\n  \t\nSecond: not the end\r\n\r\nThird.\n\n\n"[s.Paragraphs[1].Start..s.Paragraphs[1].End]);
        Assert.Empty(Derive("").Paragraphs);
    }

    [Fact]
    public void Adjacent_brackets_are_alternatives_of_one_passage_and_separated_ones_are_two()
    {
        var s = Derive("States [shall][should][may] act [promptly] and [[jointly] or alone].");
        Assert.Equal(3, s.Brackets.Count);
        Assert.Equal(["shall", "should", "may"], s.Brackets[0].Alternatives);
        Assert.Equal("[shall][should][may]", s.Brackets[0].Text);
        Assert.Equal(7, s.Brackets[0].Start);
        Assert.Equal(27, s.Brackets[0].End);
        Assert.Equal(["promptly"], s.Brackets[1].Alternatives);
        Assert.Equal(["[jointly] or alone"], s.Brackets[2].Alternatives);
        Assert.Equal("OP1", s.Brackets[0].Paragraph);
        Assert.Empty(s.Problems);
    }

    [Fact]
    public void Unbalanced_brackets_are_reported_with_their_position_and_never_repaired()
    {
        var s = Derive("Fine paragraph.\n\nStates shall] act [now.\n\n[Open to the end\nof this one\n\nAnd ]] two.");
        Assert.Equal(
            [("unexpected_close", "OP2", 29), ("unclosed_open", "OP2", 35), ("unclosed_open", "OP3", 42), ("unexpected_close", "OP4", 76), ("unexpected_close", "OP4", 77)],
            s.Problems.Select(p => (p.Code, p.Paragraph, p.Position)));
        Assert.Contains("OP2", s.Problems[1].Message);
        Assert.Empty(s.Brackets);
        Assert.Equal([ParagraphStatus.Agreed, ParagraphStatus.Bracketed, ParagraphStatus.Bracketed, ParagraphStatus.Bracketed], s.Paragraphs.Select(p => p.Status));
        Assert.Equal(']', "Fine paragraph.\n\nStates shall] act [now.\n\n[Open to the end\nof this one\n\nAnd ]] two."[29]);
    }

    [Fact]
    public void Positions_are_code_points()
    {
        var text = "T\u00e9 \U0001F600 [a][b]\n\n\U0001F600 ]";
        var s = Derive(text);
        Assert.Equal(5, s.Brackets[0].Start);
        Assert.Equal(11, s.Brackets[0].End);
        Assert.Equal(13, s.Paragraphs[1].Start);
        Assert.Equal(15, s.Problems.Single().Position);
    }

    [Fact]
    public void A_mark_follows_its_paragraph_through_edits_before_inside_and_is_detached_when_it_is_deleted()
    {
        var text = "First.\n\nSecond paragraph.\n\nThird.";
        var mark = new AdReferendumMark(1, "TH", "capital", new DateOnly(2026, 12, 11), MarkState.Pending, DateTimeOffset.UnixEpoch, "TH", 1, 8, 25);
        Assert.Equal(ParagraphStatus.AdReferendum, Derive(text, [mark]).Paragraphs[1].Status);

        // A new paragraph typed exactly at the mark's start goes before it.
        var insert = TextOperation.Insert(8, "New.\n\n");
        text = insert.Apply(text);
        mark = DraftAnchors.Transform([mark], insert)[0];
        var s = Derive(text, [mark]);
        Assert.Equal(["Agreed", "Agreed", "AdReferendum", "Agreed"], s.Paragraphs.Select(p => p.Status.ToString()));
        Assert.Equal("Second paragraph.", text[mark.Start..mark.End]);

        // Text typed at its end stays outside the range but the mark stays on the paragraph.
        var append = TextOperation.Insert(mark.End, " More");
        text = append.Apply(text);
        mark = DraftAnchors.Transform([mark], append)[0];
        Assert.Equal("OP3", Derive(text, [mark]).Paragraphs.Single(p => p.AdReferendum.Count == 1).Number);

        // Deleting the paragraphs before it renumbers it; deleting it detaches it.
        var cut = TextOperation.Delete(0, 14);
        text = cut.Apply(text);
        mark = DraftAnchors.Transform([mark], cut)[0];
        Assert.Equal("OP1", Derive(text, [mark]).Paragraphs.Single(p => p.AdReferendum.Count == 1).Number);
        var gone = TextOperation.Delete(0, "Second paragraph. More\n\n".Length);
        text = gone.Apply(text);
        mark = DraftAnchors.Transform([mark], gone)[0];
        var after = Derive(text, [mark]);
        Assert.Equal("Third.", text);
        Assert.Empty(after.Paragraphs.SelectMany(p => p.AdReferendum));
        Assert.Single(after.Detached);
    }

    [Fact]
    public void Under_random_edits_elsewhere_a_mark_keeps_pointing_at_its_untouched_paragraph()
    {
        var random = new Random(1304);
        for (var round = 0; round < 50; round++)
        {
            var text = "Alpha one.\n\nBravo two.\n\nCharlie three.";
            var mark = new AdReferendumMark(1, "TH", "capital", new DateOnly(2026, 12, 11), MarkState.Pending, DateTimeOffset.UnixEpoch, "TH", 1, 12, 22);
            for (var step = 0; step < 30; step++)
            {
                // Edits anywhere outside the marked paragraph, including exactly at its edges from outside.
                var beforeOk = random.Next(2) == 0 || mark.End >= text.Length;
                var position = beforeOk ? random.Next(0, mark.Start + 1) : random.Next(mark.End + 1, text.Length + 1);
                TextOperation op;
                if (random.Next(3) == 0 && beforeOk && position < mark.Start)
                {
                    op = TextOperation.Delete(position, Math.Min(random.Next(1, 4), mark.Start - position));
                }
                else if (random.Next(3) == 0 && !beforeOk && position < text.Length)
                {
                    op = TextOperation.Delete(position, Math.Min(random.Next(1, 4), text.Length - position));
                }
                else
                {
                    op = TextOperation.Insert(position, random.Next(4) == 0 ? "\n\nX.\n\n" : "yz");
                }
                text = op.Apply(text);
                mark = DraftAnchors.Transform([mark], op)[0];
                Assert.Equal("Bravo two.", text[mark.Start..mark.End]);
            }
        }
    }

    [Fact]
    public void Attribution_names_who_inserted_and_who_deleted_and_drops_what_came_and_went()
    {
        var attribution = new Attribution("Member States should act.");
        attribution.Apply(TextOperation.FromComponents([new Retain(14), new Delete(6), new Insert("shall")]), "SG");
        attribution.Apply(TextOperation.Insert(0, "All "), "TH");
        attribution.Apply(TextOperation.Insert(4, "xx"), "VN");
        attribution.Apply(TextOperation.Delete(4, 2), "VN");
        var (segments, authors) = attribution.Result();
        Assert.Equal(
            [(SegmentKind.Inserted, "All ", "TH"), (SegmentKind.Same, "Member States ", null), (SegmentKind.Deleted, "should", "SG"), (SegmentKind.Inserted, "shall", "SG"), (SegmentKind.Same, " act.", null)],
            segments.Select(s => (s.Kind, s.Text, s.Member)));
        Assert.Equal([new AuthorChanges("SG", 5, 6), new AuthorChanges("TH", 4, 0)], authors);
        Assert.Equal([(0, 4), (18, 18), (18, 23)], Attribution.ChangedRanges(segments));
    }

    [Fact]
    public void Attribution_rebuilds_both_texts_under_random_edits()
    {
        var random = new Random(42);
        var from = "The quick brown fox 😀 jumps over the lazy dog.";
        var text = from;
        var attribution = new Attribution(from);
        for (var i = 0; i < 400; i++)
        {
            var length = CodePoints.Length(text);
            var at = random.Next(0, length + 1);
            var op = random.Next(2) == 0 || at == length
                ? TextOperation.Insert(at, random.Next(5) == 0 ? "é😀" : "ab")
                : TextOperation.Delete(at, Math.Min(random.Next(1, 5), length - at));
            text = op.Apply(text);
            attribution.Apply(op, i % 2 == 0 ? "MY" : "TH");
        }
        var (segments, _) = attribution.Result();
        Assert.Equal(text, string.Concat(segments.Where(s => s.Kind != SegmentKind.Deleted).Select(s => s.Text)));
        Assert.Equal(from, string.Concat(segments.Where(s => s.Kind != SegmentKind.Inserted).Select(s => s.Text)));
    }
}
