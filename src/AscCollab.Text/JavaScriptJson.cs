using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AscCollab.Text;

/// <summary>
/// JSON strings exactly as JavaScript's JSON.stringify writes them, and reading strings that
/// System.Text.Json refuses (escaped lone surrogates, which JSON.stringify emits and JSON.parse
/// accepts).
/// </summary>
internal static class JavaScriptJson
{
    public static void WriteString(StringBuilder output, string value)
    {
        output.Append('"');
        var runStart = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            string? escape = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => null,
            };
            if (escape is null)
            {
                if (c >= 0x20 && !char.IsSurrogate(c))
                {
                    continue;
                }

                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }
            }

            output.Append(value, runStart, i - runStart);
            if (escape is null)
            {
                // Controls and lone surrogates: \uXXXX with lowercase hex, as ES2019 specifies.
                output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                output.Append(escape);
            }

            runStart = i + 1;
        }

        output.Append(value, runStart, value.Length - runStart).Append('"');
    }

    public static string ReadString(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Only escaped lone surrogates get here; decode the token ourselves.
            return Unescape(element.GetRawText());
        }
    }

    /// <summary>Decodes a JSON string token (with quotes) already validated by the JSON reader.</summary>
    private static string Unescape(string token)
    {
        var output = new StringBuilder(token.Length);
        for (var i = 1; i < token.Length - 1; i++)
        {
            var c = token[i];
            if (c != '\\')
            {
                output.Append(c);
                continue;
            }

            c = token[++i];
            switch (c)
            {
                case 'b': output.Append('\b'); break;
                case 'f': output.Append('\f'); break;
                case 'n': output.Append('\n'); break;
                case 'r': output.Append('\r'); break;
                case 't': output.Append('\t'); break;
                case 'u':
                    output.Append((char)int.Parse(token.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: output.Append(c); break;
            }
        }

        return output.ToString();
    }
}
