namespace AscCollab.Text.Tests;

/// <summary>Seeded random properties of the OT type, bounded in count.</summary>
public sealed class PropertyTests
{
    private const int Iterations = 3000;

    [Fact]
    public void TP1_concurrent_ops_converge_whichever_is_applied_first()
    {
        var random = new CaseGenerator(1);
        for (var i = 0; i < Iterations; i++)
        {
            var document = random.Document();
            var a = RandomOp(random, document);
            var b = RandomOp(random, document);
            var viaA = TextOperation.Transform(b, a, TransformSide.Right).Apply(a.Apply(document));
            var viaB = TextOperation.Transform(a, b, TransformSide.Left).Apply(b.Apply(document));
            Assert.True(viaA == viaB, $"doc={TestJson.Quote(document)} a={a} b={b}: {TestJson.Quote(viaA)} != {TestJson.Quote(viaB)}");
        }
    }

    [Fact]
    public void Applying_a_composition_equals_applying_both()
    {
        var random = new CaseGenerator(2);
        for (var i = 0; i < Iterations; i++)
        {
            var document = random.Document();
            var a = RandomOp(random, document);
            var after = a.Apply(document);
            var b = RandomOp(random, after);
            Assert.Equal(b.Apply(after), TextOperation.Compose(a, b).Apply(document));
        }
    }

    [Fact]
    public void Invert_undoes_apply_where_defined()
    {
        var random = new CaseGenerator(3);
        var inverted = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var document = random.Document();
            var op = RandomOp(random, document);
            TextOperation inverse;
            try
            {
                inverse = op.Invert(document);
            }
            catch (InvalidTextOperationException)
            {
                // Only a delete of a truncated final surrogate cannot be inserted back.
                Assert.False(CodePoints.TryCount(document, out _));
                continue;
            }

            Assert.Equal(document, inverse.Apply(op.Apply(document)));
            inverted++;
        }

        Assert.True(inverted > Iterations * 9 / 10);
    }

    [Fact]
    public void Transformed_cursors_stay_inside_the_new_document()
    {
        var random = new CaseGenerator(4);
        for (var i = 0; i < Iterations; i++)
        {
            var document = random.Document();
            var op = RandomOp(random, document);
            var cursor = random.Next(CodePoints.Length(document) + 1);
            var moved = TextOperation.TransformPosition(cursor, op);
            Assert.InRange(moved, 0, CodePoints.Length(op.Apply(document)));
        }
    }

    private static TextOperation RandomOp(CaseGenerator random, string document) =>
        TextOperation.Parse("[" + string.Join(",", random.OperationFor(document)) + "]");
}
