using System.Text.Json;
using System.Text.Json.Serialization;

namespace AscCollab.Server;

/// <summary>
/// An answer that gained a receipt: <see cref="Value"/>'s JSON object as it always was, plus the
/// field <c>receipt</c> (the compact JWS). Existing fields keep their names and places, so clients
/// reading the old shape read this one unchanged.
/// </summary>
[JsonConverter(typeof(WithReceiptConverterFactory))]
internal sealed record WithReceipt<T>(T Value, string Receipt) where T : class;

internal sealed class WithReceiptConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(WithReceipt<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(WithReceiptConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class WithReceiptConverter<T> : JsonConverter<WithReceipt<T>> where T : class
    {
        public override WithReceipt<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Answers with a receipt are written, never read, by the server.");

        public override void Write(Utf8JsonWriter writer, WithReceipt<T> value, JsonSerializerOptions options)
        {
            using var inner = JsonSerializer.SerializeToDocument(value.Value, options);
            writer.WriteStartObject();
            foreach (var property in inner.RootElement.EnumerateObject())
            {
                property.WriteTo(writer);
            }
            writer.WriteString(options.PropertyNamingPolicy?.ConvertName("Receipt") ?? "Receipt", value.Receipt);
            writer.WriteEndObject();
        }
    }
}
