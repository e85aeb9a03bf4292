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
        for (var i = 0; i < textLength; i++)
        {
            var c = text[i];
            if (c < 0x20 || c is '"' or '\\')
            {
                return i;
            }
            if (char.IsHighSurrogate(c) && i + 1 < textLength && char.IsLowSurrogate(text[i + 1]))
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
