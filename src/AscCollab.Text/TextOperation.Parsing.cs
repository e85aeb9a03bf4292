using System.Text.Json;

namespace AscCollab.Text;

// Reading operations from JSON. Parse accepts exactly what ot-text-unicode's checkOp accepts and
// its normalize can count; ParseLenient accepts what checkOp accepts after normalize. Both are
// stricter than the package on JavaScript artefacts: booleans, fractional or huge counts, and
// objects with keys other than "d" are refused (docs/text-operations.md).
public sealed partial class TextOperation
{
    public static TextOperation Parse(string json) => Parse(json, TextLimits.Default);

    public static TextOperation Parse(string json, TextLimits limits)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = ParseDocument(json);
        return Parse(document.RootElement, limits);
    }

    public static TextOperation Parse(JsonElement json) => Parse(json, TextLimits.Default);

    public static TextOperation Parse(JsonElement json, TextLimits limits) =>
        TryParse(json, limits, out var op, out var error) ? op! : throw new InvalidTextOperationException(error!);

    public static bool TryParse(JsonElement json, out TextOperation? op, out string? error) =>
        TryParse(json, TextLimits.Default, out op, out error);

    public static bool TryParse(JsonElement json, TextLimits limits, out TextOperation? op, out string? error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        op = null;
        error = CheckArray(json, limits) ?? ReadStrict(json, limits, out op);
        return error is null;
    }

    /// <summary>
    /// Accepts what the package's <c>normalize</c> turns into a valid operation: zero retains,
    /// empty inserts and <c>{"d":0}</c> are dropped, adjacent components merged (counts added,
    /// so negative counts may cancel), a trailing retain dropped; the result must pass <c>checkOp</c>.
    /// </summary>
    public static TextOperation ParseLenient(JsonElement json, TextLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        TextOperation? op = null;
        var error = CheckArray(json, limits) ?? ReadLenient(json, limits, out op);
        return error is null ? op! : throw new InvalidTextOperationException(error);
    }

    public static TextOperation ParseLenient(string json, TextLimits limits)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = ParseDocument(json);
        return ParseLenient(document.RootElement, limits);
    }

    private static JsonDocument ParseDocument(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidTextOperationException($"The operation is not valid JSON: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            // Raised for text that is not valid UTF-16 (a raw lone surrogate); JSON escapes them.
            throw new InvalidTextOperationException($"The operation is not valid JSON text: {e.Message}", e);
        }
    }

    private static string? CheckArray(JsonElement json, TextLimits limits)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            return $"An operation must be a JSON array of components (got {RawComponent.Describe(json.ValueKind)}).";
        }

        var count = json.GetArrayLength();
        return count > limits.MaxComponents
            ? $"The operation has {count} components, above the limit of {limits.MaxComponents} (MaxComponents)."
            : null;
    }

    private static string? ReadStrict(JsonElement json, TextLimits limits, out TextOperation? op)
    {
        op = null;
        var output = new ComponentAppender(json.GetArrayLength());
        long inserted = 0;
        var index = 0;
        var lastWasRetain = false;
        foreach (var element in json.EnumerateArray())
        {
            var error = RawComponent.Read(element, out var value);
            if (error is null)
            {
                switch (value)
                {
                    case RawCount { IsDelete: false, Count: var n }:
                        error = n <= 0 ? $"a retain must be > 0 (got {n})"
                            : lastWasRetain ? "adjacent retains must be combined into one"
                            : null;
                        break;
                    case RawCount { Count: var n }:
                        error = n <= 0 ? $"a delete must be > 0 (got {n})" : null;
                        break;
                    case RawInsert { Length: var n }:
                        error = n == 0 ? "an insert must not be empty" : null;
                        inserted += n;
                        break;
                }
            }

            if (error is null && inserted > limits.MaxInsertLength)
            {
                error = $"the operation inserts more than {limits.MaxInsertLength} code points (MaxInsertLength)";
            }

            if (error is not null)
            {
                return $"Component {index}: {error}.";
            }

            output.Append(value!.ToComponent());
            lastWasRetain = value is RawCount { IsDelete: false };
            index++;
        }

        if (lastWasRetain)
        {
            return "The operation ends in a retain; a trailing retain must be left out.";
        }

        op = output.ToOperation();
        return null;
    }

    private static string? ReadLenient(JsonElement json, TextLimits limits, out TextOperation? op)
    {
        op = null;
        var merged = new List<RawComponent>();
        long inserted = 0;
        var index = 0;
        foreach (var element in json.EnumerateArray())
        {
            var error = RawComponent.Read(element, out var value);
            if (error is not null)
            {
                return $"Component {index}: {error}.";
            }

            inserted += value is RawInsert insert ? insert.Length : 0;
            if (inserted > limits.MaxInsertLength)
            {
                return $"Component {index}: the operation inserts more than {limits.MaxInsertLength} code points (MaxInsertLength).";
            }

            // makeAppend: zero counts and empty text are dropped, same kinds are merged.
            switch (value)
            {
                case RawCount { Count: 0 } or RawInsert { Length: 0 }:
                    break;
                case RawCount c when merged.Count > 0 && merged[^1] is RawCount last && last.IsDelete == c.IsDelete:
                    merged[^1] = last with { Count = last.Count + c.Count };
                    break;
                case RawInsert i when merged.Count > 0 && merged[^1] is RawInsert last:
                    merged[^1] = new RawInsert(last.Text + i.Text, last.Length + i.Length);
                    break;
                default:
                    merged.Add(value!);
                    break;
            }

            index++;
        }

        if (merged.Count > 0 && merged[^1] is RawCount { IsDelete: false })
        {
            merged.RemoveAt(merged.Count - 1);
        }

        var components = new TextComponent[merged.Count];
        for (var i = 0; i < merged.Count; i++)
        {
            if (merged[i] is RawCount { Count: <= 0 or > int.MaxValue } bad)
            {
                var kind = bad.IsDelete ? "delete" : "retain";
                return $"After normalisation, a {kind} of {bad.Count} remains; it must be between 1 and {int.MaxValue}.";
            }

            components[i] = merged[i].ToComponent();
        }

        op = FromNormalized(components);
        return null;
    }
}
