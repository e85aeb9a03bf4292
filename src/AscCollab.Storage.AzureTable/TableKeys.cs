using System.Globalization;
using System.Text;
using Orleans.Runtime;

namespace AscCollab.Storage.AzureTable;

/// <summary>
/// PartitionKey and RowKey values of our layout. Azure forbids / \ # ? and control characters
/// in keys; they are written as <c>%XX</c> (and <c>%</c> itself as <c>%25</c>, <c>|</c> as
/// <c>%7C</c>) so that escaping is reversible and the <c>|</c> separators stay unambiguous.
/// </summary>
internal static class TableKeys
{
    /// <summary>Azure allows 1 KiB per key value; keys are UTF-16 strings, so 512 characters.</summary>
    public const int MaxKeyChars = 1024 / 2;

    /// <summary>Sequences are written as nine digits so RowKey order is numeric order.</summary>
    public const long MaxSequence = 999_999_999;

    private const string StatePrefix = "state|";

    /// <summary><c>{type}|{key}</c>, both escaped: one partition per grain.</summary>
    public static string PartitionKey(GrainId grainId) =>
        CheckLength(Escape(grainId.Type.ToString()!) + "|" + Escape(grainId.Key.ToString()!), "partition key", grainId.ToString());

    public static string StateRowKey(string stateName) =>
        CheckLength(StatePrefix + Escape(stateName), "state row key", stateName);

    public static string LogRowKey(string stream, long sequence)
    {
        CheckStream(stream);
        if (sequence is < 0 or > MaxSequence)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"Log sequences must lie in [0, {MaxSequence}] so that row keys sort numerically.");
        }

        return CheckLength(Escape(stream) + "|" + sequence.ToString("D9", CultureInfo.InvariantCulture), "log row key", stream);
    }

    public static void CheckStream(string stream)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        if (stream == "state")
        {
            throw new ArgumentException("The log stream name 'state' is reserved for state rows.", nameof(stream));
        }
    }

    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(NeedsEscape))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (NeedsEscape(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    public static string Unescape(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '%')
            {
                builder.Append(value[i]);
                continue;
            }

            if (i + 2 >= value.Length || !int.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                throw new FormatException($"'{value}' is not an escaped table key.");
            }

            builder.Append((char)code);
            i += 2;
        }

        return builder.ToString();
    }

    // Every escaped character is below U+00A0, so two hex digits always suffice.
    private static bool NeedsEscape(char c) =>
        c is '/' or '\\' or '#' or '?' or '%' or '|' || char.IsControl(c);

    private static string CheckLength(string key, string what, string source) =>
        key.Length <= MaxKeyChars
            ? key
            : throw new ArgumentException($"The {what} for '{Shorten(source)}' is {key.Length} characters once escaped; Azure Table storage allows at most {MaxKeyChars} (1 KiB).");

    private static string Shorten(string value) => value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 80), "…");
}
