using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AscCollab.Text;

namespace AscCollab.Server;

/// <summary>
/// How request bodies are read and how a refusal names the field: what a field expects, in the
/// words of docs/api.md ("a whole number", "one of: Concur, Abstain, Object"), never a .NET type
/// name. Used by <see cref="BadRequestHandler"/> (JSON that does not fit) and
/// <see cref="RequestValidation"/> (JSON that fits but misses a rule), so both say the same.
/// </summary>
internal static class RequestFields
{
    /// <summary>The key of <c>errors</c> for the body as a whole (not JSON, not an object), as MVC names it.</summary>
    public const string Body = "$";

    /// <summary>
    /// Strict reading: a misspelt field is refused instead of ignored, and enums are read by name
    /// only (the options' converter wins over the domain enums' own <c>[JsonConverter]</c>).
    /// </summary>
    public static IServiceCollection AddRequestJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        });

    /// <summary>"a string", "a whole number", "one of: Concur, Abstain, Object", …</summary>
    public static string Expects(Type type, ICustomAttributeProvider? attributes = null)
    {
        if (attributes?.GetCustomAttributes(typeof(AllowedValuesAttribute), inherit: true).OfType<AllowedValuesAttribute>().FirstOrDefault() is { } allowed)
        {
            return "one of: " + string.Join(", ", allowed.Values);
        }
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsEnum)
        {
            return "one of: " + string.Join(", ", Enum.GetNames(t));
        }
        if (t == typeof(string))
        {
            return "a string";
        }
        if (t == typeof(bool))
        {
            return "true or false";
        }
        if (t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(uint) || t == typeof(ulong))
        {
            return "a whole number";
        }
        if (t == typeof(double) || t == typeof(decimal) || t == typeof(float))
        {
            return "a number";
        }
        if (t == typeof(DateOnly))
        {
            return "a date, e.g. \"2026-12-11\"";
        }
        if (t == typeof(DateTimeOffset) || t == typeof(DateTime))
        {
            return "a date and time in ISO 8601 with offset, e.g. \"2026-11-23T10:00:00Z\"";
        }
        if (t == typeof(TextOperation))
        {
            return "an ot-text-unicode operation, a JSON array such as [9, \" of the Parties\", {\"d\": 3}]";
        }
        if (t != typeof(string) && typeof(IEnumerable).IsAssignableFrom(t))
        {
            var element = t.IsArray ? t.GetElementType() : t.GetGenericArguments() is [var only] ? only : null;
            return element is null ? "a JSON array" : $"a JSON array, each {Expects(element)}";
        }
        return "a JSON object";
    }

    /// <summary>The fields of a body type as JSON names them, in declaration order.</summary>
    public static IReadOnlyList<JsonPropertyInfo> Fields(Type bodyType, JsonSerializerOptions options) =>
        options.GetTypeInfo(bodyType) is { Kind: JsonTypeInfoKind.Object } info ? [.. info.Properties] : [];

    /// <summary>"{ activity, title, text, group? }" — the shape of a body, for messages about the body as a whole.</summary>
    public static string Shape(Type bodyType, JsonSerializerOptions options) =>
        "{ " + string.Join(", ", Fields(bodyType, options).Select(f => IsRequired(f) ? f.Name : f.Name + "?")) + " }";

    public static bool IsRequired(JsonPropertyInfo field) =>
        field.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true;

    /// <summary>What a JSON body that did not fit <paramref name="bodyType"/> got wrong, by field.</summary>
    public static Dictionary<string, string[]> ErrorsOf(JsonException json, Type bodyType, JsonSerializerOptions options)
    {
        // A syntax error: the reader's own exception is inside (its message names no type).
        if (json.InnerException is JsonException syntax)
        {
            return One(Body, $"The body is not valid JSON: {WithoutPosition(syntax.Message)} (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).");
        }

        var name = FirstSegment(json.Path);
        if (name is null)
        {
            return One(Body, $"The body must be a JSON object {Shape(bodyType, options)}.");
        }
        var fields = Fields(bodyType, options);
        var field = fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
        if (field is null)
        {
            return One(name, $"{name} is not a field of this request; its fields are {Shape(bodyType, options)}.");
        }
        var message = $"{field.Name} must be {Expects(field.PropertyType, field.AttributeProvider)}";
        // The operation's parser says what is wrong in it, in terms of the operation.
        return One(field.Name, json.InnerException is InvalidTextOperationException op ? $"{message}: {op.Message}" : message + ".");
    }

    /// <summary>No body (or <c>null</c>): every required field is missing.</summary>
    public static Dictionary<string, string[]> MissingBody(Type bodyType, JsonSerializerOptions options)
    {
        var required = Fields(bodyType, options).Where(IsRequired).ToList();
        return required.Count == 0
            ? One(Body, $"The request needs a JSON object body {Shape(bodyType, options)}.")
            : required.ToDictionary(f => f.Name, f => new[] { Required(f.Name, f.PropertyType, f.AttributeProvider) }, StringComparer.Ordinal);
    }

    public static string Required(string field, Type type, ICustomAttributeProvider? attributes) =>
        $"{field} is required: {Expects(type, attributes)}.";

    /// <summary>"A: m1 B: m2" — the <c>detail</c> that goes with an <c>errors</c> map, for clients that show one line.</summary>
    public static string Detail(IReadOnlyDictionary<string, string[]> errors) =>
        string.Join(" ", errors.SelectMany(e => e.Value));

    public static Dictionary<string, string[]> One(string field, string message) =>
        new(StringComparer.Ordinal) { [field] = [message] };

    /// <summary>"$.title" → "title"; "$.participants[2]" → "participants"; "$['a b']" → "a b"; "$" → null.</summary>
    internal static string? FirstSegment(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }
        if (path.StartsWith("$['", StringComparison.Ordinal))
        {
            var end = path.IndexOf("']", 3, StringComparison.Ordinal);
            return end > 3 ? path[3..end] : null;
        }
        if (!path.StartsWith("$.", StringComparison.Ordinal))
        {
            return null;
        }
        var rest = path[2..];
        var stop = rest.IndexOfAny(['.', '[']);
        return stop < 0 ? rest : stop == 0 ? null : rest[..stop];
    }

    private static string WithoutPosition(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var path = message.IndexOf(" Path:", StringComparison.Ordinal);
        var cut = new[] { at, path }.Where(i => i >= 0).DefaultIfEmpty(message.Length).Min();
        return message[..cut].TrimEnd(' ', '|', '.');
    }
}
