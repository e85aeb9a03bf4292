using System.Text.Json;
using Orleans.Storage;

namespace AscCollab.Storage;

/// <summary>
/// The one JSON shape of persisted grain state (plain and logged). A single frozen options instance,
/// so a state written by one node reads back identically on another. Strings are stored as UTF-8,
/// escaped only where JSON requires it (<see cref="Utf8JsonEncoder"/>).
/// </summary>
public static class StateJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        // UTF-8 as it is: the documented text limit must fit Azure's entity size (Utf8JsonEncoder).
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = Utf8JsonEncoder.Instance };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>
/// Orleans' plain grain state (the Azure Table grain storage's one state row) in the same
/// System.Text.Json shape as logged state: readable in a table browser, no type names stored.
/// </summary>
public sealed class StateJsonSerializer : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) => BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(input, StateJson.Options));

    public T Deserialize<T>(BinaryData input) =>
        JsonSerializer.Deserialize<T>(input.ToMemory().Span, StateJson.Options) ?? throw new InvalidOperationException($"Stored state is null for {typeof(T).Name}.");
}
