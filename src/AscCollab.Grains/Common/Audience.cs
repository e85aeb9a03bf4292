using Orleans;

namespace AscCollab.Grains;

/// <summary>
/// Who may receive an event. Either every member delegation, or only the listed member
/// codes. Connections with Chair rights and the secretariat always receive every event:
/// the host adds them, the grains never list them.
/// </summary>
[GenerateSerializer, Immutable, Alias("AscCollab.Audience")]
public sealed record Audience(bool AllMembers, IReadOnlyList<string> Members)
{
    public static Audience All { get; } = new(true, []);

    /// <summary>Only the Chair and the secretariat (e.g. the progress dashboard).</summary>
    public static Audience ChairAndSecretariat { get; } = new(false, []);

    public static Audience Of(IEnumerable<string> members) => new(false, [.. members.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);

    public bool Includes(string member) => AllMembers || Members.Contains(member, StringComparer.Ordinal);
}

/// <summary>An event that names its audience; the host's publisher routes every such event by it.</summary>
public interface IAudienceEvent
{
    Audience Audience { get; }
}
