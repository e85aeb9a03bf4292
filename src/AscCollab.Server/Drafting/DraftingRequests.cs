using System.ComponentModel.DataAnnotations;

namespace AscCollab.Server;

// Bodies of the drafting routes (docs/api.md, "Drafting"). Shape here; the rules are the grain's.

/// <summary>A delegation agrees <see cref="Paragraph"/> (PP1…, OP1… in the text of <see cref="Revision"/>) ad referendum.</summary>
internal sealed record AdReferendumBody(
    [property: Required] string Paragraph,
    [property: Required, Range(0, long.MaxValue)] long? Revision,
    [property: Required] string Pending,
    [property: Required] DateOnly? By);

/// <summary>An optional note to a confirmation or withdrawal.</summary>
internal sealed record MarkNoteBody(string? Note);

internal sealed record NameVersionBody([property: Required] string Name);
