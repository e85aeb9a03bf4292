using System.Text.RegularExpressions;

namespace AscCollab.Text.Tests;

/// <summary>
/// Attribute arguments are stored as UTF-8, which turns a lone surrogate into U+FFFD; test data
/// spells them as \uXXXX text and this restores them.
/// </summary>
internal static class Escaped
{
    public static string Text(string s) => Regex.Unescape(s);
}
