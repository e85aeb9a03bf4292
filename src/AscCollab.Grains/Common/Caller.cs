using System.Text.Json.Serialization;
using Orleans;

namespace AscCollab.Grains;

/// <summary>
/// Who is calling, as the host authenticated it. <see cref="Member"/> is the ISO code of
/// the delegation (or the secretariat's own code). A <see cref="CallerRole.Chair"/> role
/// grants Chair rights only while <see cref="Member"/> holds the chairmanship; see <see cref="IChairmanship"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("AscCollab.Caller")]
public sealed record Caller(string Member, CallerRole Role)
{
    /// <summary>The host's session (the SignalR connection id) the call came from, if any; echoed as <see cref="EditCommitted.Origin"/>.</summary>
    [Id(2)]
    public string? Session { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<CallerRole>))]
[GenerateSerializer, Alias("AscCollab.CallerRole")]
public enum CallerRole
{
    Delegate,
    Chair,
    Secretariat,

    /// <summary>The grains themselves (a deadline passing) in the audit trail; never issued to a person, grants nothing.</summary>
    System,
}
