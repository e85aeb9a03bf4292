using System.Text.Json.Serialization;
using Orleans;

namespace AscCollab.Grains;

// Tabled amendments and comment threads (docs/amendments.md). Stored in the proposal's state row
// (System.Text.Json) and answered across grain boundaries (Orleans): positional records, never reorder.

[JsonConverter(typeof(JsonStringEnumConverter<AmendmentKind>))]
[GenerateSerializer, Alias("AscCollab.AmendmentKind")]
public enum AmendmentKind
{
    Replace,
    Insert,
    Delete,
}

[JsonConverter(typeof(JsonStringEnumConverter<AmendmentStatus>))]
[GenerateSerializer, Alias("AscCollab.AmendmentStatus")]
public enum AmendmentStatus
{
    Open,

    /// <summary>Its target text was changed by a committed edit; it can no longer be accepted.</summary>
    Outdated,
    Accepted,
    Rejected,
    Withdrawn,
}

/// <summary>A member's position on an amendment.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Stance>))]
[GenerateSerializer, Alias("AscCollab.Stance")]
public enum Stance
{
    Support,
    Oppose,
}

/// <summary>What a comment thread is anchored to: a range of text, or whole paragraphs.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CommentScope>))]
[GenerateSerializer, Alias("AscCollab.CommentScope")]
public enum CommentScope
{
    Range,
    Paragraph,
}

[JsonConverter(typeof(JsonStringEnumConverter<AnchorState>))]
[GenerateSerializer, Alias("AscCollab.AnchorState")]
public enum AnchorState
{
    Current,

    /// <summary>The anchored text was changed; the anchor still follows what is left of it.</summary>
    Outdated,

    /// <summary>All of the anchored text was deleted; the quote keeps what it said.</summary>
    Detached,
}

[GenerateSerializer, Immutable, Alias("AscCollab.AmendmentPosition")]
public sealed record AmendmentPosition(string Member, Stance Stance, DateTimeOffset At);

/// <summary>
/// A tabled amendment. <see cref="Start"/>/<see cref="End"/> are code points in the text of
/// <see cref="Revision"/> (answers give the committed head's); <see cref="Quote"/> the text it
/// targets (as tabled), <see cref="Replacement"/> what it puts there. <see cref="DecidedBy"/> and
/// <see cref="DecidedRole"/> name who accepted, rejected or withdrew it.
/// </summary>
[GenerateSerializer, Immutable, Alias("AscCollab.Amendment")]
public sealed record Amendment(
    string Id,
    string Author,
    AmendmentKind Kind,
    AmendmentStatus Status,
    int Start,
    int End,
    long Revision,
    string Quote,
    string Replacement,
    string Justification,
    DateTimeOffset TabledAt,
    long TabledRevision,
    IReadOnlyList<AmendmentPosition> Positions,
    string? DecidedBy,
    CallerRole? DecidedRole,
    DateTimeOffset? DecidedAt,
    string? Reason,
    long? AppliedRevision,
    long? OutdatedAt)
{
    [JsonIgnore]
    public bool IsPending => Status is AmendmentStatus.Open or AmendmentStatus.Outdated;
}

/// <summary>One comment of a thread; <see cref="Mentions"/> the member codes it mentions.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.Comment")]
public sealed record Comment(int Number, string Author, string Text, IReadOnlyList<string> Mentions, DateTimeOffset At);

/// <summary>A comment thread anchored to a range (or paragraphs) of the text; positions as for <see cref="Amendment"/>.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.CommentThread")]
public sealed record CommentThread(
    string Id,
    string Author,
    CommentScope Scope,
    int Start,
    int End,
    long Revision,
    string Quote,
    AnchorState Anchor,
    bool Resolved,
    string? ResolvedBy,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset CreatedAt,
    IReadOnlyList<Comment> Comments);

/// <summary>Every amendment and thread of a proposal, anchors in the text of <see cref="Revision"/> (the committed head).</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.AnnotationsView")]
public sealed record AnnotationsView(long Revision, IReadOnlyList<Amendment> Amendments, IReadOnlyList<CommentThread> Threads);

/// <summary>An accepted amendment and the revision of the edit it became.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.AcceptedAmendment")]
public sealed record AcceptedAmendment(Amendment Amendment, long Revision);

/// <summary>An amendment to table: the range (code points) in the text of <see cref="Revision"/>.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.AmendmentDraft")]
public sealed record AmendmentDraft(long Revision, int Start, int End, string? Replacement, string? Justification);

/// <summary>A new thread: the range (code points) in the text of <see cref="Revision"/>, the first comment and whom it mentions.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.CommentDraft")]
public sealed record CommentDraft(long Revision, int Start, int End, CommentScope Scope, string? Text, IReadOnlyList<string>? Mentions);

[GenerateSerializer, Immutable, Alias("AscCollab.CommentReply")]
public sealed record CommentReply(string? Text, IReadOnlyList<string>? Mentions);

/// <summary>A proposal's amendments and threads as stored in its state row; ids are <c>a</c>/<c>c</c> + position + 1 (never removed).</summary>
public sealed record ProposalAnnotations
{
    public static ProposalAnnotations Empty { get; } = new();

    public IReadOnlyList<Amendment> Amendments { get; init; } = [];

    public IReadOnlyList<CommentThread> Threads { get; init; } = [];
}

/// <summary>An amendment changed (tabled, a position, decided, outdated by an edit). Published after its commit.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.AmendmentChanged")]
public sealed record AmendmentChanged(string ProposalId, long Revision, Amendment Amendment, Audience Audience) : IAudienceEvent;

/// <summary>A comment thread changed (started, a reply, resolved, reopened, its anchor outdated or detached). Published after its commit.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.CommentChanged")]
public sealed record CommentChanged(string ProposalId, long Revision, CommentThread Thread, Audience Audience) : IAudienceEvent;
