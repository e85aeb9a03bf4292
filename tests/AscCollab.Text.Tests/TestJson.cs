using System.Globalization;
using System.Text;

namespace AscCollab.Text.Tests;

/// <summary>
/// The tests' own JSON string form, independent of the library's writer: every code unit outside
/// printable ASCII is escaped, so lone surrogates survive and both sides print identical text.
/// Must match <c>escapeAscii</c> in node/harness.js.
/// </summary>
internal static class TestJson
{
    public static string Quote(string s)
    {
        var output = new StringBuilder(s.Length + 2);
        output.Append('"');
        foreach (var c in s)
        {
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\')
            {
                output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                output.Append(c);
            }
        }

        return output.Append('"').ToString();
    }
}
