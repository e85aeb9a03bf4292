using System.Text.Json;

namespace AscCollab.Runtime;

/// <summary>
/// The one JSON shape of persisted grain state. A single frozen options instance, so a state
/// written by one process reads back identically in another (and System.Text.Json caches its metadata once).
/// </summary>
public static class GrainJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
