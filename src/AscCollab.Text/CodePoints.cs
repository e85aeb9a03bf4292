namespace AscCollab.Text;

/// <summary>
/// Converts between UTF-16 indexes and the position unit of ot-text-unicode (its dependency
/// <c>unicount</c>). That unit is a Unicode code point for well-formed text, but the rule is
/// mechanical: any UTF-16 code unit in U+D800–U+DFFF starts a two-unit step, whether or not it
/// is half of a real pair. A lone surrogate therefore swallows the code unit after it, and a
/// surrogate in the last code unit of a string is a "truncated" step.
/// </summary>
public static class CodePoints
{
    /// <summary>
    /// Number of positions in <paramref name="s"/>. A truncated final step (a surrogate in the
    /// last code unit) counts as one position, so a document can always be deleted to its end.
    /// </summary>
    public static int Length(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Count(s.AsSpan(), out _);
    }

    /// <summary>
    /// Counts positions the way <c>unicount.strPosToUni(s)</c> does, which fails (returns
    /// false here) when the last step is truncated. Inserted text must pass this.
    /// </summary>
    public static bool TryCount(string s, out int count)
    {
        ArgumentNullException.ThrowIfNull(s);
        count = Count(s.AsSpan(), out var truncated);
        return !truncated;
    }

    /// <summary>UTF-16 index of position <paramref name="codePointIndex"/> (0 … <see cref="Length"/>).</summary>
    public static int ToUtf16Index(string s, int codePointIndex)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentOutOfRangeException.ThrowIfNegative(codePointIndex);
        var length = Length(s);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(codePointIndex, length);
        var index = Advance(s, 0, codePointIndex);
        // A truncated final step ends one code unit past the string.
        return Math.Min(index, s.Length);
    }

    /// <summary>Position of UTF-16 index <paramref name="utf16Index"/>; it must not split a step.</summary>
    public static int ToCodePointIndex(string s, int utf16Index)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentOutOfRangeException.ThrowIfNegative(utf16Index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(utf16Index, s.Length);
        var count = Count(s.AsSpan(0, utf16Index), out var truncated);
        return truncated
            ? throw new ArgumentException($"UTF-16 index {utf16Index} splits a surrogate step.", nameof(utf16Index))
            : count;
    }

    internal static int Count(ReadOnlySpan<char> s, out bool truncated)
    {
        var i = s.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (i < 0)
        {
            truncated = false;
            return s.Length;
        }

        var count = i;
        while (true)
        {
            // s[i] is a surrogate: it and the next code unit are one step.
            count++;
            i += 2;
            if (i >= s.Length)
            {
                break;
            }

            var next = s[i..].IndexOfAnyInRange('\uD800', '\uDFFF');
            if (next < 0)
            {
                count += s.Length - i;
                i = s.Length;
                break;
            }

            count += next;
            i += next;
        }

        truncated = i > s.Length;
        return count;
    }

    /// <summary>
    /// Walks <paramref name="steps"/> positions from UTF-16 index <paramref name="start"/>, as
    /// <c>unicount.uniToStrPos</c> does: past the end each step counts one, so the result can
    /// exceed <c>s.Length</c> and the caller decides whether that is allowed.
    /// </summary>
    internal static int Advance(string s, int start, int steps)
    {
        var pos = start;
        while (steps > 0)
        {
            if (pos >= s.Length)
            {
                return pos + steps;
            }

            var window = s.AsSpan(pos, Math.Min(steps, s.Length - pos));
            var next = window.IndexOfAnyInRange('\uD800', '\uDFFF');
            if (next < 0)
            {
                pos += window.Length;
                steps -= window.Length;
                continue;
            }

            pos += next + 2;
            steps -= next + 1;
        }

        return pos;
    }
}
