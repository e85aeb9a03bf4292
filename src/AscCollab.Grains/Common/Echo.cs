namespace AscCollab.Grains;

/// <summary>
/// How a refusal quotes what the caller sent: at most <see cref="MaxLength"/> characters, then
/// "…". A refusal names the bad value so the caller can find it, but a 5,000-character id must
/// not come back (or go into a log line) 5,000 characters long. Control characters are shown as
/// <c>\uXXXX</c>, so a quoted value cannot break a log line or a message apart.
/// </summary>
public static class Echo
{
    public const int MaxLength = 64;

    public static string Of(string? value)
    {
        if (value is null)
        {
            return "(null)";
        }
        var cut = value.Length > MaxLength;
        var shown = cut ? value[..(char.IsHighSurrogate(value[MaxLength - 1]) ? MaxLength - 1 : MaxLength)] : value;
        if (!shown.Any(char.IsControl) && !cut)
        {
            return shown;
        }
        var builder = new System.Text.StringBuilder(shown.Length + 8);
        foreach (var c in shown)
        {
            if (char.IsControl(c))
            {
                builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }
        return cut ? builder.Append('…').ToString() : builder.ToString();
    }
}
