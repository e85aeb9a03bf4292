using System.Text.Json;
using System.Text.Json.Serialization;

namespace AscCollab.Text;

/// <summary>
/// Reads and writes <see cref="TextOperation"/> as the npm JSON array (grain state, logs,
/// SignalR payloads). Reading applies <see cref="TextLimits.Default"/>; callers that need other
/// limits parse the <see cref="JsonElement"/> themselves.
/// </summary>
public sealed class TextOperationJsonConverter : JsonConverter<TextOperation>
{
    public override TextOperation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return TextOperation.TryParse(document.RootElement, TextLimits.Default, out var op, out var error)
            ? op!
            : throw new JsonException(error, new InvalidTextOperationException(error!));
    }

    public override void Write(Utf8JsonWriter writer, TextOperation value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);

        // Our own text is valid JSON and keeps the package's exact form (lone surrogates escaped).
        writer.WriteRawValue(value.ToJson(), skipInputValidation: true);
    }
}
