namespace AscCollab.Storage.AzureTable.Tests;

public sealed class TableKeysTests
{
    [Theory]
    [InlineData("plain-key", "plain-key")]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("a\\b#c?d", "a%5Cb%23c%3Fd")]
    [InlineData("50%|x", "50%25%7Cx")]
    [InlineData("\t\u007f", "%09%7F")]
    public void Escaping_replaces_forbidden_characters_reversibly(string raw, string escaped)
    {
        Assert.Equal(escaped, TableKeys.Escape(raw));
        Assert.Equal(raw, TableKeys.Unescape(escaped));
    }

    [Fact]
    public void Every_char_below_U_0100_round_trips()
    {
        var all = new string([.. Enumerable.Range(0, 256).Select(i => (char)i)]);
        var escaped = TableKeys.Escape(all);

        Assert.DoesNotContain(escaped, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
        Assert.Equal(all, TableKeys.Unescape(escaped));
    }

    [Fact]
    public void Layout_matches_the_documented_row_keys()
    {
        Assert.Equal("proposal|p-42", TableKeys.PartitionKey(GrainId.Create("proposal", "p-42")));
        Assert.Equal("state|doc", TableKeys.StateRowKey("doc"));
        Assert.Equal("op|000000042", TableKeys.LogRowKey("op", 42));
    }

    [Fact]
    public void Escaping_can_push_a_key_over_the_limit()
    {
        var fits = new string('/', (TableKeys.MaxKeyChars / 3) - 10);
        Assert.Throws<ArgumentException>(() => TableKeys.PartitionKey(GrainId.Create("t", fits + fits)));
        Assert.NotNull(TableKeys.PartitionKey(GrainId.Create("t", fits)));
    }

    [Theory]
    [InlineData("%")]
    [InlineData("%2")]
    [InlineData("%zz")]
    public void Malformed_escapes_are_reported(string value)
    {
        Assert.Throws<FormatException>(() => TableKeys.Unescape(value));
    }
}
