using System.Text.RegularExpressions;

namespace AscCollab.Grains;

/// <summary>Members a comment mentions: <c>@MY</c> in its text (an at sign, two upper-case letters, not part of a longer word) and the mentions field.</summary>
internal static partial class Mentions
{
    public static List<string> Of(string text, IReadOnlyList<string>? listed)
    {
        var found = new List<string>();
        foreach (Match match in InText().Matches(text))
        {
            found.Add(match.Groups[1].Value);
        }
        foreach (var code in listed ?? [])
        {
            found.Add(code?.Trim() ?? "");
        }
        return [.. found.Distinct(StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"(?<![\p{L}\p{N}_@])@([A-Z]{2})(?![\p{L}\p{N}_])", RegexOptions.CultureInvariant)]
    private static partial Regex InText();
}
