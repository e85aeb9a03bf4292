using System.Globalization;
using System.Text.Json;

namespace AscCollab.Text;

/// <summary>
/// A component as read from JSON, before the checks that turn it into a <see cref="TextComponent"/>.
/// Counts are kept wide and signed because ParseLenient may merge a negative count away.
/// </summary>
internal abstract record RawComponent
{
    public abstract TextComponent ToComponent();

    public static string? Read(JsonElement element, out RawComponent? value)
    {
        value = null;
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                return ReadCount(element, "a retain", isDelete: false, out value);
            case JsonValueKind.String:
                return ReadInsert(JavaScriptJson.ReadString(element), out value);
            case JsonValueKind.Object:
                var properties = 0;
                JsonElement d = default;
                foreach (var property in element.EnumerateObject())
                {
                    properties++;
                    if (property.NameEquals("d"))
                    {
                        d = property.Value;
                    }
                }

                if (properties != 1 || d.ValueKind == JsonValueKind.Undefined)
                {
                    return "a delete must be an object with exactly one property, \"d\"";
                }

                if (d.ValueKind == JsonValueKind.String)
                {
                    // {"d":"text"} carries the deleted text for invert; only its length is kept.
                    var text = JavaScriptJson.ReadString(d);
                    if (!CodePoints.TryCount(text, out var n))
                    {
                        return "a delete's text must not end in a lone surrogate";
                    }

                    value = new RawCount(n, IsDelete: true);
                    return null;
                }

                return d.ValueKind == JsonValueKind.Number
                    ? ReadCount(d, "a delete", isDelete: true, out value)
                    : $"a delete's \"d\" must be a number or a string (got {Describe(d.ValueKind)})";
            default:
                return $"a component must be a number, a string or {{\"d\":n}} (got {Describe(element.ValueKind)})";
        }
    }

    private static string? ReadCount(JsonElement element, string what, bool isDelete, out RawComponent? value)
    {
        value = null;
        long count;
        if (element.TryGetInt64(out var whole))
        {
            count = whole;
        }
        else if (element.TryGetDouble(out var number) && Math.Floor(number) == number && Math.Abs(number) <= int.MaxValue)
        {
            // 2.0 and 1e3 are whole numbers to JavaScript too.
            count = (long)number;
        }
        else
        {
            return $"{what} must be a whole number (got {element.GetRawText()})";
        }

        if (count is > int.MaxValue or < -int.MaxValue)
        {
            return $"{what} of {count} is too large";
        }

        value = new RawCount(count, isDelete);
        return null;
    }

    private static string? ReadInsert(string text, out RawComponent? value)
    {
        value = null;
        if (!CodePoints.TryCount(text, out var length))
        {
            return "an insert must not end in a lone surrogate (its length in code points is undefined)";
        }

        value = new RawInsert(text, length);
        return null;
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => kind.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}

internal sealed record RawCount(long Count, bool IsDelete) : RawComponent
{
    public override TextComponent ToComponent() =>
        IsDelete ? new Delete((int)Count) : new Retain((int)Count);
}

internal sealed record RawInsert(string Text, int Length) : RawComponent
{
    public override TextComponent ToComponent() => new Insert(Text);
}
