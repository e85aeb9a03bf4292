using AscCollab.Storage;

namespace AscCollab.Storage.AzureTable.Tests;

/// <summary>
/// The stored JSON's encoder finds the first character to escape with vectorised searches; it must
/// answer exactly what the character-by-character rule answers (control characters, <c>"</c>,
/// <c>\</c> and lone surrogates escaped; surrogate pairs kept).
/// </summary>
public sealed class Utf8JsonEncoderTests
{
    public static TheoryData<string, int> Texts => new()
    {
        { "", -1 },
        { "plain ASCII text, nothing to escape", -1 },
        { "ไทย and 😀 kept as they are", -1 },
        { "quote \" here", 6 },
        { "back\\slash", 4 },
        { "tab\there", 3 },
        { "😀\"", 2 },
        // Lone surrogates, built in code (an attribute cannot hold one, and xunit would serialise them away: no discovery enumeration).
        { "a" + (char)0xD83D, 1 },
        { "a" + (char)0xDE00 + "b", 1 },
        { "😀" + (char)0xD83D + "\"", 2 },
        { (char)0xD83D + "\"", 0 },
        { "😀😀x\u001F", 5 },
    };

    [Theory]
    [MemberData(nameof(Texts), DisableDiscoveryEnumeration = true)]
    public void The_first_character_to_escape_is_found(string text, int expected) =>
        Assert.Equal(expected, FindFirst(text));

    [Fact]
    public void Random_texts_answer_as_the_rule_does()
    {
        var random = new Random(15);
        char[] alphabet = ['a', 'Z', ' ', '"', '\\', '\n', '\u0001', 'é', 'ไ', '\uD83D', '\uDE00', '\uD800', '\uDFFF'];
        for (var n = 0; n < 5_000; n++)
        {
            var chars = new char[random.Next(0, 80)];
            for (var i = 0; i < chars.Length; i++)
            {
                // Mostly plain text, so the vectorised paths see long runs.
                chars[i] = random.Next(4) == 0 ? alphabet[random.Next(alphabet.Length)] : (char)random.Next('a', 'z' + 1);
            }
            var text = new string(chars);
            Assert.Equal(Rule(text), FindFirst(text));
        }
    }

    private static unsafe int FindFirst(string text)
    {
        fixed (char* p = text)
        {
            return Utf8JsonEncoder.Instance.FindFirstCharacterToEncode(p, text.Length);
        }
    }

    /// <summary>The rule, one character at a time.</summary>
    private static int Rule(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x20 || c is '"' or '\\')
            {
                return i;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
            {
                return i;
            }
        }
        return -1;
    }
}
