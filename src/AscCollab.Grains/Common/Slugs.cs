using System.Text.RegularExpressions;

namespace AscCollab.Grains;

/// <summary>Keys of activities and groups: lower-case words joined by hyphens.</summary>
public static partial class Slugs
{
    public static bool IsValid(string? slug) => slug is { Length: >= 2 and <= 64 } && Pattern().IsMatch(slug);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Pattern();
}
