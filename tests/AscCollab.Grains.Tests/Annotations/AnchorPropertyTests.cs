using AscCollab.Text;

namespace AscCollab.Grains.Tests;

/// <summary>Seeded random properties of <see cref="Anchors.Move"/> against <see cref="AnchorOracle"/>, bounded in count.</summary>
public sealed class AnchorPropertyTests
{
    private const int Iterations = 4000;

    [Fact]
    public void An_exact_range_follows_its_text_while_untouched_and_is_touched_exactly_when_its_text_changes()
    {
        var random = new Random(11);
        var touchedSeen = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var length = random.Next(1, 40);
            var start = random.Next(length);
            var end = random.Next(start + 1, length + 1);
            var oracle = new AnchorOracle(length);
            var target = oracle.Mark(start, end);
            // Several ops in a row, as committed edits: the anchor moves through each.
            var touched = false;
            for (var step = 0; step < 4 && !touched; step++)
            {
                var op = RandomOp(random, oracle.Ids.Count);
                var moved = Anchors.Move(start, end, AnchorMode.Exact, op);
                oracle.Apply(op);
                var found = oracle.Find(target);
                Assert.True(moved.Touched == (found is null), $"case {i} step {step}: [{start},{end}) op {op}: touched {moved.Touched}, oracle {found}");
                if (found is { } f)
                {
                    Assert.Equal(f, (moved.Start, moved.End));
                }
                Assert.InRange(moved.Start, 0, moved.End);
                Assert.InRange(moved.End, moved.Start, oracle.Ids.Count);
                (start, end, touched) = (moved.Start, moved.End, moved.Touched);
            }
            touchedSeen += touched ? 1 : 0;
        }
        // Both outcomes are exercised.
        Assert.InRange(touchedSeen, Iterations / 10, Iterations - (Iterations / 10));
    }

    [Fact]
    public void An_insertion_point_moves_with_edits_elsewhere_and_is_touched_by_an_insert_at_it_or_a_deletion_beside_it()
    {
        var random = new Random(12);
        var touchedSeen = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var length = random.Next(0, 30);
            var point = random.Next(length + 1);
            var oracle = new AnchorOracle(length);
            var target = oracle.Mark(point, point);
            var op = RandomOp(random, length);
            var moved = Anchors.Move(point, point, AnchorMode.Exact, op);
            oracle.Apply(op);
            var found = oracle.Find(target);
            Assert.True(moved.Touched == (found is null), $"case {i}: point {point} in {length}, op {op}: touched {moved.Touched}, oracle {found}");
            if (found is { } f)
            {
                Assert.Equal(f, (moved.Start, moved.End));
            }
            touchedSeen += moved.Touched ? 1 : 0;
        }
        Assert.InRange(touchedSeen, Iterations / 10, Iterations - (Iterations / 10));
    }

    [Fact]
    public void A_paragraph_anchor_keeps_what_survives_of_it_and_takes_no_outside_text_and_is_detached_only_when_nothing_is_left_in_it()
    {
        var random = new Random(13);
        for (var i = 0; i < Iterations; i++)
        {
            var length = random.Next(1, 40);
            var start = random.Next(length);
            var end = random.Next(start + 1, length + 1);
            var oracle = new AnchorOracle(length);
            var outside = oracle.Ids.Take(start).Concat(oracle.Ids.Skip(end)).ToHashSet();
            var target = oracle.Mark(start, end);
            var op = RandomOp(random, length);
            var moved = Anchors.Move(start, end, AnchorMode.Paragraph, op);
            oracle.Apply(op);
            var surviving = oracle.Surviving(target);
            var covered = oracle.Ids.Skip(moved.Start).Take(moved.End - moved.Start).ToList();
            // Detached when nothing is left in it (text typed into it after a deletion keeps it).
            Assert.True(moved.Touched == (covered.Count == 0), $"case {i}: [{start},{end}) op {op}: touched {moved.Touched}, {covered.Count} covered");
            Assert.True(surviving > 0 || covered.Count == 0 || op.InsertedLength > 0);
            Assert.DoesNotContain(covered, outside.Contains);
            Assert.Equal(surviving, covered.Count(target.Ids.Contains));
        }
    }

    /// <summary>A random valid op on a document of <paramref name="length"/> code points: retains, inserts and deletes.</summary>
    internal static TextOperation RandomOp(Random random, int length)
    {
        var components = new List<TextComponent>();
        var pos = 0;
        while (pos < length || (components.Count == 0 && random.Next(2) == 0))
        {
            var remaining = length - pos;
            switch (random.Next(3))
            {
                case 0 when remaining > 0:
                    var keep = random.Next(1, Math.Min(remaining, 8) + 1);
                    components.Add(new Retain(keep));
                    pos += keep;
                    break;
                case 1:
                    components.Add(new Insert(new string((char)('a' + random.Next(26)), random.Next(1, 4))));
                    break;
                case 2 when remaining > 0:
                    var gone = random.Next(1, Math.Min(remaining, 4) + 1);
                    components.Add(new Delete(gone));
                    pos += gone;
                    break;
            }
            if (random.Next(6) == 0)
            {
                break;
            }
        }
        return TextOperation.FromComponents(components);
    }
}
