using System.Text.Json;

namespace AscCollab.Text.Tests;

public sealed class ParsingTests
{
    [Theory]
    [InlineData("{}", "must be a JSON array")]
    [InlineData("5", "must be a JSON array")]
    [InlineData("\"x\"", "must be a JSON array")]
    [InlineData("null", "must be a JSON array")]
    [InlineData("[0,\"a\"]", "Component 0: a retain must be > 0")]
    [InlineData("[-1,\"a\"]", "a retain must be > 0")]
    [InlineData("[1.5,\"a\"]", "must be a whole number")]
    [InlineData("[3000000000,\"a\"]", "too large")]
    [InlineData("[-9223372036854775808,\"a\"]", "too large")]
    [InlineData("[\"\"]", "an insert must not be empty")]
    [InlineData("[{\"d\":0}]", "a delete must be > 0")]
    [InlineData("[{\"d\":-2}]", "a delete must be > 0")]
    [InlineData("[{\"d\":\"\"}]", "a delete must be > 0")]
    [InlineData("[{\"d\":true}]", "must be a number or a string")]
    [InlineData("[{}]", "exactly one property")]
    [InlineData("[{\"d\":1,\"x\":2}]", "exactly one property")]
    [InlineData("[null]", "got null")]
    [InlineData("[true]", "got a boolean")]
    [InlineData("[[1]]", "got an array")]
    [InlineData("[1,1,\"a\"]", "Component 1: adjacent retains")]
    [InlineData("[\"a\",1]", "trailing retain")]
    [InlineData("[\"\\ud83d\"]", "lone surrogate")]
    [InlineData("[\"x\\ud83d\"]", "lone surrogate")]
    [InlineData("[{\"d\":\"\\ud83d\"}]", "lone surrogate")]
    [InlineData("[1,", "not valid JSON")]
    public void Parse_rejects_with_a_clear_reason(string json, string reason)
    {
        var e = Assert.Throws<InvalidTextOperationException>(() => TextOperation.Parse(json));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "[]")]
    [InlineData("[2.0,\"a\"]", "[2,\"a\"]")]
    [InlineData("[1e1,\"a\"]", "[10,\"a\"]")]
    [InlineData("[\"a\",\"b\"]", "[\"ab\"]")]
    [InlineData("[{\"d\":1},{\"d\":\"xy\"}]", "[{\"d\":3}]")]
    [InlineData("[\"\\ud83da\"]", "[\"\\ud83da\"]")]
    [InlineData("[1,{\"d\":1},\"x\",{\"d\":1}]", "[1,{\"d\":1},\"x\",{\"d\":1}]")]
    public void Parse_accepts_and_normalises(string json, string expected) =>
        Assert.Equal(expected, TextOperation.Parse(json).ToJson());

    [Theory]
    [InlineData("[0,\"a\",{\"d\":0},\"\"]", "[\"a\"]")]
    [InlineData("[2,-1,\"a\"]", "[1,\"a\"]")]
    [InlineData("[\"a\",3]", "[\"a\"]")]
    [InlineData("[1,1,\"a\"]", "[2,\"a\"]")]
    [InlineData("[{\"d\":-1},{\"d\":2}]", "[{\"d\":1}]")]
    public void ParseLenient_accepts_what_normalize_repairs(string json, string expected) =>
        Assert.Equal(expected, TextOperation.ParseLenient(json, TextLimits.Default).ToJson());

    [Theory]
    [InlineData("[-1,\"a\"]")]
    [InlineData("[1,-1,\"a\"]")]
    [InlineData("[{\"d\":1},{\"d\":-1}]")]
    [InlineData("[false]")]
    [InlineData("\"abc\"")]
    public void ParseLenient_rejects_what_stays_invalid(string json) =>
        Assert.Throws<InvalidTextOperationException>(() => TextOperation.ParseLenient(json, TextLimits.Default));

    [Fact]
    public void Limits_are_enforced_and_named()
    {
        var limits = new TextLimits(MaxComponents: 3, MaxInsertLength: 4);
        Assert.Equal("[1,\"😅bcd\"]", TextOperation.Parse("[1,\"😅b\",\"cd\"]", limits).ToJson());
        var components = Assert.Throws<InvalidTextOperationException>(() => TextOperation.Parse("[1,\"a\",{\"d\":1},\"b\"]", limits));
        Assert.Contains("MaxComponents", components.Message, StringComparison.Ordinal);
        var inserted = Assert.Throws<InvalidTextOperationException>(() => TextOperation.Parse("[\"ab\",{\"d\":1},\"😅de\"]", limits));
        Assert.Contains("MaxInsertLength", inserted.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidTextOperationException>(() => TextOperation.ParseLenient("[\"abcde\"]", limits));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextLimits(0, 1));
        Assert.Equal(new TextLimits(10_000, 65_536), TextLimits.Default);
    }

    [Fact]
    public void TryParse_reports_without_throwing()
    {
        using var document = JsonDocument.Parse("[1,{\"d\":0}]");
        Assert.False(TextOperation.TryParse(document.RootElement, out var op, out var error));
        Assert.Null(op);
        Assert.Contains("Component 1", error, StringComparison.Ordinal);

        using var valid = JsonDocument.Parse("[1,\"a\"]");
        Assert.True(TextOperation.TryParse(valid.RootElement, out op, out error));
        Assert.Null(error);
        Assert.Equal(TextOperation.Insert(1, "a"), op);
    }
}
