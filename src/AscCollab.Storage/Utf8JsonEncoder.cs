using System.Buffers;
using System.Text.Encodings.Web;

namespace AscCollab.Storage;

/// <summary>
/// The escaping of stored JSON: only what JSON requires — <c>"</c>, <c>\</c>, control characters —
/// and lone surrogates (written as U+FFFD, as System.Text.Json's own encoders do). Everything else
/// is stored as UTF-8. The built-in encoders escape every character outside the ranges they allow,
/// and every character outside the Basic Multilingual Plane whatever the ranges (even
/// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>): an emoji took 12 bytes
/// (<c>\uD83D\uDE00</c>) instead of 4, Thai 6 instead of 3, so a text well within the documented
/// 100,000 code points no longer fitted Azure's 1 MiB entity. Stored JSON is never embedded in
/// HTML or script, so HTML-sensitive characters need no escaping either.
/// Reading is unchanged: rows written with the old escaping read back the same.
/// </summary>
public sealed class Utf8JsonEncoder : JavaScriptEncoder
{
    public static Utf8JsonEncoder Instance { get; } = new();

    private Utf8JsonEncoder()
    {
    }

    /// <summary><c>\uXXXX</c>: six characters for one UTF-16 code unit.</summary>
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = new ReadOnlySpan<char>(text, textLength);
        // Vectorised: the first character JSON requires escaped, then any surrogate before it (a
        // valid pair is written as it is; a lone surrogate is encoded). Each character is looked at once.
        var special = span.IndexOfAny(JsonSpecial);
        var end = special < 0 ? textLength : special;
        var start = 0;
        while (start < end)
        {
            var surrogate = span[start..end].IndexOfAnyInRange('\uD800', '\uDFFF');
            if (surrogate < 0)
            {
                break;
            }
            var at = start + surrogate;
            if (!char.IsHighSurrogate(span[at]) || at + 1 >= textLength || !char.IsLowSurrogate(span[at + 1]))
            {
                return at;
            }
            start = at + 2;
        }
        return special;
    }

    /// <summary>The characters JSON requires escaped: control characters, <c>"</c> and <c>\</c>.</summary>
    private static readonly SearchValues<char> JsonSpecial = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\"\\");

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        // Asked only for what WillEncode names (and U+FFFD for a lone surrogate): one UTF-16 unit each.
        if (unicodeScalar > 0xFFFF)
        {
            var rune = new System.Text.Rune(unicodeScalar);
            if (bufferLength < rune.Utf16SequenceLength)
            {
                numberOfCharactersWritten = 0;
                return false;
            }
            numberOfCharactersWritten = rune.EncodeToUtf16(new Span<char>(buffer, bufferLength));
            return true;
        }
        var shortForm = unicodeScalar switch
        {
            '"' => '"',
            '\\' => '\\',
            '\n' => 'n',
            '\r' => 'r',
            '\t' => 't',
            '\b' => 'b',
            '\f' => 'f',
            _ => '\0',
        };
        if (shortForm != '\0' && bufferLength >= 2)
        {
            buffer[0] = '\\';
            buffer[1] = shortForm;
            numberOfCharactersWritten = 2;
            return true;
        }
        if (bufferLength < 6)
        {
            numberOfCharactersWritten = 0;
            return false;
        }
        const string Hex = "0123456789ABCDEF";
        buffer[0] = '\\';
        buffer[1] = 'u';
        buffer[2] = Hex[(unicodeScalar >> 12) & 0xF];
        buffer[3] = Hex[(unicodeScalar >> 8) & 0xF];
        buffer[4] = Hex[(unicodeScalar >> 4) & 0xF];
        buffer[5] = Hex[unicodeScalar & 0xF];
        numberOfCharactersWritten = 6;
        return true;
    }

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x20 || unicodeScalar is '"' or '\\' || (unicodeScalar is >= 0xD800 and <= 0xDFFF);
}
