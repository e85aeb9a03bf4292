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

    /// <summary>Longest message a refusal carries (detail, hub message, log line) after <see cref="Message"/>.</summary>
    public const int MaxMessageLength = 1_000;

    /// <summary>
    /// The backstop where refusals leave (Problem Details, hub messages, log lines): every run of
    /// more than <see cref="MaxLength"/> non-blank characters — an echoed id or value that no
    /// sentence of ours has — is cut as by <see cref="Of"/>, and the whole to <see cref="MaxMessageLength"/>.
    /// </summary>
    public static string Message(string? message)
    {
        if (message is null)
        {
            return "";
        }
        var builder = new System.Text.StringBuilder(Math.Min(message.Length, MaxMessageLength + 1));
        var run = 0;
        for (var i = 0; i < message.Length && builder.Length < MaxMessageLength; i++)
        {
            var c = message[i];
            if (char.IsWhiteSpace(c))
            {
                run = 0;
                builder.Append(c);
                continue;
            }
            run++;
            if (run <= MaxLength)
            {
                builder.Append(c);
            }
            else if (run == MaxLength + 1)
            {
                if (char.IsHighSurrogate(builder[^1]))
                {
                    builder.Length--;
                }
                builder.Append('…');
            }
        }
        return builder.Length >= MaxMessageLength && message.Length > builder.Length ? builder.Append('…').ToString() : builder.ToString();
    }
}
