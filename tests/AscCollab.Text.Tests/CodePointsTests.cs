namespace AscCollab.Text.Tests;

public sealed class CodePointsTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("abc", 3)]
    [InlineData("a😅b", 3)]
    [InlineData("😅🤖", 2)]
    [InlineData("\\uD83Dx", 1)] // a lone high surrogate swallows the next code unit, as unicount does
    [InlineData("\\uDE00x", 1)] // so does a lone low surrogate
    [InlineData("\\uDE00\\uD83D", 1)] // a reversed pair is one step
    [InlineData("a\\uD83D", 2)] // truncated last step still counts one position
    public void Length_counts_the_package_unit(string s, int expected) => Assert.Equal(expected, CodePoints.Length(Escaped.Text(s)));

    [Theory]
    [InlineData("a😅", true)]
    [InlineData("\\uD83Dx", true)]
    [InlineData("a\\uD83D", false)]
    [InlineData("\\uDE00", false)]
    [InlineData("😅\\uDE00", false)]
    public void TryCount_fails_where_unicount_throws(string s, bool expected) => Assert.Equal(expected, CodePoints.TryCount(Escaped.Text(s), out _));

    [Fact]
    public void Index_conversions_round_trip_over_astral_text()
    {
        const string s = "a😅b\uD83Dxc";
        int[] utf16 = [0, 1, 3, 4, 6, 7];
        for (var position = 0; position < utf16.Length; position++)
        {
            Assert.Equal(utf16[position], CodePoints.ToUtf16Index(s, position));
            Assert.Equal(position, CodePoints.ToCodePointIndex(s, utf16[position]));
        }
    }

    [Fact]
    public void Index_conversions_refuse_positions_outside_or_inside_a_step()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CodePoints.ToUtf16Index("a😅", 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => CodePoints.ToUtf16Index("a😅", -1));
        Assert.Throws<ArgumentException>(() => CodePoints.ToCodePointIndex("a😅", 2));
        Assert.Equal(2, CodePoints.ToUtf16Index("a\uD83D", 2));
    }
}
