namespace AscCollab.Text.Tests;

public sealed class TextOperationTests
{
    private static TextOperation Op(string json) => TextOperation.Parse(json);

    [Theory]
    [InlineData("abc", "[1,\"X\"]", "aXbc")]
    [InlineData("abc", "[\"X\"]", "Xabc")]
    [InlineData("abc", "[3,\"X\"]", "abcX")]
    [InlineData("abc", "[1,{\"d\":1}]", "ac")]
    [InlineData("a😅b", "[1,{\"d\":1},\"🤖\"]", "a🤖b")]
    [InlineData("😅😅", "[1,\"x\"]", "😅x😅")]
    [InlineData("\\uD83Dxy", "[1,\"z\"]", "\\uD83Dxzy")]
    [InlineData("a\\uD83D", "[1,{\"d\":1}]", "a")] // a truncated final step can be deleted
    [InlineData("abc", "[]", "abc")]
    public void Apply_edits_by_code_point(string document, string op, string expected) =>
        Assert.Equal(Escaped.Text(expected), Op(op).Apply(Escaped.Text(document)));

    [Theory]
    [InlineData("abc", "[4,\"x\"]", "retains up to code point 4 but the document has 3")]
    [InlineData("abc", "[2,{\"d\":2}]", "deletes up to code point 4 but the document has 3")]
    [InlineData("a😅", "[3,\"x\"]", "retains up to code point 3")]
    [InlineData("a\\uD83D", "[2,\"x\"]", "retains up to code point 2")] // the package throws here too
    [InlineData("", "[{\"d\":1}]", "deletes up to code point 1 but the document has 0")]
    public void Apply_refuses_an_op_that_does_not_fit(string document, string op, string reason)
    {
        var e = Assert.Throws<InvalidTextOperationException>(() => Op(op).Apply(Escaped.Text(document)));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Insert_and_Delete_build_the_package_forms()
    {
        Assert.Equal("[\"x\"]", TextOperation.Insert(0, "x").ToJson());
        Assert.Equal("[2,\"😅\"]", TextOperation.Insert(2, "😅").ToJson());
        Assert.Same(TextOperation.Empty, TextOperation.Insert(5, ""));
        Assert.Equal("[{\"d\":2}]", TextOperation.Delete(0, 2).ToJson());
        Assert.Equal("[3,{\"d\":1}]", TextOperation.Delete(3, 1).ToJson());
        Assert.Same(TextOperation.Empty, TextOperation.Delete(3, 0));
        Assert.Throws<InvalidTextOperationException>(() => TextOperation.Insert(-1, "x"));
        Assert.Throws<InvalidTextOperationException>(() => TextOperation.Delete(0, -1));
        Assert.Throws<InvalidTextOperationException>(() => TextOperation.Insert(0, "x\uD83D"));
    }

    [Theory]
    [InlineData("[1,\"a\"]", "[1,\"b\"]", TransformSide.Left, "[1,\"a\"]")]
    [InlineData("[1,\"a\"]", "[1,\"b\"]", TransformSide.Right, "[2,\"a\"]")]
    [InlineData("[3,\"a\"]", "[{\"d\":2}]", TransformSide.Left, "[1,\"a\"]")]
    [InlineData("[1,{\"d\":3}]", "[2,{\"d\":3}]", TransformSide.Left, "[1,{\"d\":1}]")]
    [InlineData("[2,\"x\"]", "[1,{\"d\":3}]", TransformSide.Left, "[1,\"x\"]")]
    [InlineData("[1,\"x\"]", "[\"😅\"]", TransformSide.Left, "[2,\"x\"]")]
    [InlineData("[{\"d\":2}]", "[{\"d\":2}]", TransformSide.Left, "[]")]
    public void Transform_shifts_and_tie_breaks(string op, string other, TransformSide side, string expected) =>
        Assert.Equal(expected, TextOperation.Transform(Op(op), Op(other), side).ToJson());

    [Fact]
    public void Transform_refuses_an_undefined_side() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TextOperation.Transform(Op("[\"a\"]"), Op("[\"b\"]"), (TransformSide)7));

    [Theory]
    [InlineData("[\"abc\"]", "[1,{\"d\":1}]", "[\"ac\"]")]
    [InlineData("[1,\"x\"]", "[2,\"y\"]", "[1,\"xy\"]")]
    [InlineData("[{\"d\":1}]", "[{\"d\":1}]", "[{\"d\":2}]")]
    [InlineData("[\"😅b\"]", "[1,\"x\"]", "[\"😅xb\"]")]
    [InlineData("[2,\"x\"]", "[{\"d\":3}]", "[{\"d\":2}]")]
    public void Compose_joins_two_ops(string first, string second, string expected) =>
        Assert.Equal(expected, TextOperation.Compose(Op(first), Op(second)).ToJson());

    [Theory]
    [InlineData(3, "[1,\"ab\"]", 5)]
    [InlineData(1, "[1,\"ab\"]", 1)] // an insert at the cursor stays after it
    [InlineData(0, "[\"ab\"]", 0)]
    [InlineData(4, "[1,{\"d\":2}]", 2)]
    [InlineData(2, "[1,{\"d\":5}]", 1)]
    [InlineData(5, "[\"😅\"]", 6)]
    public void TransformPosition_moves_cursors_like_the_package(int cursor, string op, int expected) =>
        Assert.Equal(expected, TextOperation.TransformPosition(cursor, Op(op)));

    [Fact]
    public void Invert_restores_deleted_text_and_removes_inserts()
    {
        var op = Op("[1,{\"d\":2},\"xyz\"]");
        var inverse = op.Invert("a😅bc");
        Assert.Equal("[1,\"😅b\",{\"d\":3}]", inverse.ToJson());
        Assert.Equal("a😅bc", inverse.Apply(op.Apply("a😅bc")));
    }

    [Fact]
    public void Invert_refuses_when_it_cannot_insert_the_deleted_text_back()
    {
        Assert.Throws<InvalidTextOperationException>(() => Op("[1,{\"d\":1}]").Invert("a\uD83D"));
        Assert.Throws<InvalidTextOperationException>(() => Op("[5,\"x\"]").Invert("abc"));
    }

    [Fact]
    public void Lengths_equality_and_noop()
    {
        var op = Op("[1,\"😅a\",{\"d\":3}]");
        Assert.Equal(2, op.InsertedLength);
        Assert.Equal(3, op.DeletedLength);
        // Retains and deletes: the document must have at least 4 positions.
        Assert.Equal(4, op.BaseLength);
        Assert.Equal("x😅a", op.Apply("xabc"));
        Assert.Throws<InvalidTextOperationException>(() => op.Apply("xab"));
        Assert.Equal(0, TextOperation.Insert(0, "a").BaseLength);
        Assert.Equal(0, TextOperation.Empty.BaseLength);
        Assert.False(op.IsNoop);
        Assert.True(TextOperation.Empty.IsNoop);
        Assert.Equal(op, Op("[1,\"😅\",\"a\",{\"d\":1},{\"d\":2}]"));
        Assert.Equal(op.GetHashCode(), Op("[1,\"😅\",\"a\",{\"d\":1},{\"d\":2}]").GetHashCode());
        Assert.NotEqual(op, Op("[1,{\"d\":3},\"😅a\"]"));
        Assert.Equal([new Retain(1), new Insert("😅a"), new Delete(3)], op.Components);
        Assert.IsNotType<TextComponent[]>(op.Components); // no cast back to a mutable array
    }

    [Fact]
    public void FromComponents_normalises_and_components_are_valid_by_construction()
    {
        var op = TextOperation.FromComponents([new Retain(1), new Retain(2), new Insert("a"), new Insert("b"), new Retain(4)]);
        Assert.Equal("[3,\"ab\"]", op.ToJson());
        Assert.Throws<InvalidTextOperationException>(() => new Retain(0));
        Assert.Throws<InvalidTextOperationException>(() => new Delete(-1));
        Assert.Throws<InvalidTextOperationException>(() => new Insert(""));
        Assert.Throws<InvalidTextOperationException>(() => new Insert("\uDE00"));
    }

    [Fact]
    public void ToJson_prints_strings_as_JSON_stringify_does()
    {
        var op = TextOperation.Insert(0, "q\"\\\b\f\n\r\t\u0001\u001f\u007f\u2028é😅\uD83Dx\uDE00y");
        Assert.Equal("[\"q\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\u007f\u2028é😅\\ud83dx\\ude00y\"]", op.ToJson());
        Assert.Equal(op, TextOperation.Parse(op.ToJson()));
    }
}
