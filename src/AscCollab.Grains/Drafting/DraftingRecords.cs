using System.Text.Json.Serialization;
using Orleans;

namespace AscCollab.Grains;

// The drafting structure of a proposal (docs/drafting.md): derived from the text, never typed in
// separately. Stored records (marks, versions) live in ProposalState; every type here crosses the
// grain boundary, so positional members keep their order.

[JsonConverter(typeof(JsonStringEnumConverter<ParagraphKind>))]
[GenerateSerializer, Alias("AscCollab.ParagraphKind")]
public enum ParagraphKind
{
    Preambular,
    Chapeau,
    Operative,
}

[JsonConverter(typeof(JsonStringEnumConverter<ParagraphStatus>))]
[GenerateSerializer, Alias("AscCollab.ParagraphStatus")]
public enum ParagraphStatus
{
    Agreed,
    Bracketed,
    AdReferendum,

    /// <summary>A delegation withdrew its ad-referendum agreement and the paragraph's text has not changed since.</summary>
    Reopened,
}

[JsonConverter(typeof(JsonStringEnumConverter<MarkState>))]
[GenerateSerializer, Alias("AscCollab.MarkState")]
public enum MarkState
{
    Pending,
    Confirmed,
    Withdrawn,
}

/// <summary>
/// A delegation's agreement ad referendum on one paragraph. <see cref="Start"/>..<see cref="End"/> is the
/// paragraph's range (code points) in the current text, transformed through every committed edit
/// (<see cref="DraftAnchors"/>); empty once the paragraph was deleted (detached).
/// </summary>
[GenerateSerializer, Immutable, Alias("AscCollab.AdReferendumMark")]
public sealed record AdReferendumMark(
    int Id,
    string Member,
    string Pending,
    DateOnly By,
    MarkState State,
    DateTimeOffset MarkedAt,
    string MarkedBy,
    long Revision,
    int Start,
    int End,
    DateTimeOffset? ResolvedAt = null,
    string? Note = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WithdrawnTextHash = null);

/// <summary>One paragraph: <see cref="Number"/> PP1…/OP1… (null for the chapeau), its range in code points, its status.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.ParagraphView")]
public sealed record ParagraphView(
    string? Number,
    ParagraphKind Kind,
    int Start,
    int End,
    ParagraphStatus Status,
    int Brackets,
    IReadOnlyList<AdReferendumMark> AdReferendum);

/// <summary>A top-level bracketed passage; adjacent brackets (<c>[shall][should]</c>) are its alternatives.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.BracketPassage")]
public sealed record BracketPassage(string? Paragraph, int Start, int End, string Text, IReadOnlyList<string> Alternatives);

/// <summary>An unbalanced bracket, reported and never repaired: <c>unclosed_open</c> or <c>unexpected_close</c>.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.BracketProblem")]
public sealed record BracketProblem(string Code, string? Paragraph, int Position, string Message);

[GenerateSerializer, Immutable, Alias("AscCollab.StructureCounts")]
public sealed record StructureCounts(int Preambular, int Operative, int Bracketed, int OpenBrackets, int Problems, int AdReferendum, int Reopened);

/// <summary>The structure of the text at <see cref="Revision"/>.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.DraftStructure")]
public sealed record DraftStructure(
    string ProposalId,
    long Revision,
    string TextHash,
    IReadOnlyList<ParagraphView> Paragraphs,
    IReadOnlyList<BracketPassage> Brackets,
    IReadOnlyList<BracketProblem> Problems,
    IReadOnlyList<AdReferendumMark> Detached,
    StructureCounts Counts);

/// <summary>What a summary (dashboard, lists) says of the drafting state: paragraph numbers per status.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.DraftingSummary")]
public sealed record DraftingSummary(
    int Preambular,
    int Operative,
    int OpenBrackets,
    int Problems,
    IReadOnlyList<string> Bracketed,
    IReadOnlyList<string> AdReferendum,
    IReadOnlyList<string> Reopened);

/// <summary>A delegation marks a paragraph (by number, in the text of <see cref="Revision"/>, the current one) ad referendum.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.AdReferendumRequest")]
public sealed record AdReferendumRequest(string Paragraph, long Revision, string Pending, DateOnly By);

[JsonConverter(typeof(JsonStringEnumConverter<VersionKind>))]
[GenerateSerializer, Alias("AscCollab.VersionKind")]
public enum VersionKind
{
    Proposed,
    Circulated,
    Consensus,
    Adopted,
    Named,

    /// <summary>Not stored: the current text, answered for <c>versions/current</c>.</summary>
    Current,
}

/// <summary>A named, frozen point of the text. <see cref="TextHash"/>: SHA-256 of the UTF-8 text, lower-case hex.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.VersionRecord")]
public sealed record VersionRecord(int Version, string Name, VersionKind Kind, long Revision, string TextHash, DateTimeOffset At, string By);

/// <summary>A version with its text and the structure of that text (marks only on the current text).</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.VersionText")]
public sealed record VersionText(VersionRecord Version, string Title, string Text, DraftStructure Structure);

[JsonConverter(typeof(JsonStringEnumConverter<SegmentKind>))]
[GenerateSerializer, Alias("AscCollab.SegmentKind")]
public enum SegmentKind
{
    Same,
    Inserted,
    Deleted,
}

/// <summary>A run of the comparison; <see cref="Member"/> inserted or deleted it (null when the same).</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.CompareSegment")]
public sealed record CompareSegment(SegmentKind Kind, string Text, string? Member);

/// <summary>Code points a delegation inserted and deleted between the two ends.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.AuthorChanges")]
public sealed record AuthorChanges(string Member, int Inserted, int Deleted);

/// <summary>One end of a comparison: a version (number null for the current text or a sign-off) at a revision.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.CompareEnd")]
public sealed record CompareEnd(int? Version, string Name, long Revision, string TextHash);

[GenerateSerializer, Immutable, Alias("AscCollab.Comparison")]
public sealed record Comparison(
    CompareEnd From,
    CompareEnd To,
    IReadOnlyList<CompareSegment> Segments,
    IReadOnlyList<AuthorChanges> Authors,
    IReadOnlyList<string> ChangedParagraphs);

/// <summary>The paragraph statuses of a proposal changed (pushed to its audience).</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.StructureChanged")]
public sealed record StructureChanged(DraftStructure Structure, Audience Audience) : IAudienceEvent;

/// <summary>A version became durable.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.VersionRecorded")]
public sealed record VersionRecorded(string ProposalId, VersionRecord Version, Audience Audience) : IAudienceEvent;
