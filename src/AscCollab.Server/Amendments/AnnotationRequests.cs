using System.ComponentModel.DataAnnotations;
using AscCollab.Grains;

namespace AscCollab.Server;

// Bodies and answers of the amendment and comment routes (docs/api.md). Shape is checked here;
// the rules (lengths, who may, anchors) are the proposal grain's.

/// <summary>An amendment on [start, end) of the text at <see cref="Revision"/>: replace, insert (start = end) or delete (no replacement).</summary>
internal sealed record TableAmendmentRequest(
    [property: Required, Range(0, long.MaxValue)] long? Revision,
    [property: Required, Range(0, int.MaxValue)] int? Start,
    [property: Required, Range(0, int.MaxValue)] int? End,
    string? Replacement,
    [property: Required] string Justification);

internal sealed record AmendmentPositionRequest([property: Required] Stance? Stance);

/// <summary>A new thread on [start, end) of the text at <see cref="Revision"/> (scope Paragraph: the paragraphs there).</summary>
internal sealed record StartCommentRequest(
    [property: Required, Range(0, long.MaxValue)] long? Revision,
    [property: Required, Range(0, int.MaxValue)] int? Start,
    [property: Required, Range(0, int.MaxValue)] int? End,
    CommentScope? Scope,
    [property: Required] string Text,
    IReadOnlyList<string>? Mentions);

internal sealed record ReplyRequest([property: Required] string Text, IReadOnlyList<string>? Mentions);

internal sealed record AmendmentList(long Revision, IReadOnlyList<Amendment> Amendments);

internal sealed record ThreadList(long Revision, IReadOnlyList<CommentThread> Threads);
