using System.Globalization;
using System.Text;

namespace AscCollab.Grains;

/// <summary>
/// Whether a title or name shows anything. A title made only of invisible characters — zero-width
/// spaces and joiners, bidirectional controls, combining marks with nothing to combine with,
/// blank "letters" such as U+3164 HANGUL FILLER — passes a whitespace check but is empty on screen
/// and impersonates nothing but confusion; it is refused. Bidi controls themselves stay allowed
/// inside a title with visible text (right-to-left names need them); where text is shown in HTML
/// the report isolates it (<c>&lt;bdi&gt;</c>) and drops the embedding, override and isolate controls.
/// </summary>
public static class VisibleText
{
    /// <summary>Characters Unicode classes as letters or symbols that render as nothing.</summary>
    private static readonly int[] BlankLetters = [0x115F, 0x1160, 0x2800, 0x3164, 0xFFA0, 0x034F, 0x17B4, 0x17B5];

    public static bool HasVisible(string? value)
    {
        if (value is null)
        {
            return false;
        }
        foreach (var rune in value.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var invisible = category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.SpaceSeparator
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.NonSpacingMark
                or UnicodeCategory.EnclosingMark or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.PrivateUse
                || Array.IndexOf(BlankLetters, rune.Value) >= 0;
            if (!invisible)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// <paramref name="value"/> without the bidi embedding, override and isolate controls
    /// (U+202A–U+202E, U+2066–U+2069), which would otherwise reorder what follows them on screen.
    /// </summary>
    public static string WithoutBidiControls(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(IsBidiControl))
        {
            return value;
        }
        return string.Concat(value.Where(c => !IsBidiControl(c)));
    }

    public static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>The refusal of a field with nothing visible, in one wording for REST and grains.</summary>
    public static string Refusal(string field) =>
        $"{field} must contain a visible character; zero-width, bidirectional-control and other invisible characters alone are not a {field}.";
}
