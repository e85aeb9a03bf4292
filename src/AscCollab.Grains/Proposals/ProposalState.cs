using System.Text.Json.Serialization;
using AscCollab.Text;

namespace AscCollab.Grains;

/// <summary>
/// The persisted state row of a proposal. Immutable: every accepted change produces a new
/// instance, so the grain can hold the committed state and the head (accepted, not yet
/// durable) side by side without copying.
/// </summary>
public sealed record ProposalState : IJsonOnDeserialized
{
    public bool Created { get; init; }
    public string Title { get; init; } = "";
    public string Activity { get; init; } = "";
    public string Component { get; init; } = "";
    public string? Group { get; init; }
    public string? Coordinator { get; init; }
    public IReadOnlyList<string> GroupParticipants { get; init; } = [];
    public string Proposer { get; init; } = "";

    private ProposalText _text = ProposalText.Empty;

    /// <summary>
    /// The whole text. Not in the stored row (since text rows): there it is rebuilt from the text row
    /// of <see cref="TextAt"/> and the op log after it — a write carries the edits, not the document.
    /// </summary>
    [JsonIgnore]
    public string Text
    {
        get => _text.Value;
        init => _text = ProposalText.Of(value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>
    /// The revision of the last text row (stream "text"): the text is that row's with the logged ops
    /// after it applied. Null in rows written before text rows, which hold the text themselves.
    /// </summary>
    public long? TextAt { get; init; }

    /// <summary>The text as stored in the row: only in rows written before text rows (<see cref="TextAt"/> null).</summary>
    [JsonInclude]
    [JsonPropertyName("text")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private string? StoredText
    {
        get => TextAt is null ? Text : null;
        init
        {
            if (value is not null)
            {
                Text = value;
                _textRead = true;
            }
        }
    }

    private bool _textRead;

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (TextAt is not null && !_textRead)
        {
            _text = ProposalText.NotLoaded;
        }
    }

    public int TextLength { get; init; }
    public long Revision { get; init; }

    /// <summary>The last revision whose op changed the text; positions given before it are stale.</summary>
    public long TextChangedAt { get; init; }

    public ConsensusLevel Level { get; init; }
    public ProposalStatus Status { get; init; }
    public ConsensusRule? Rule { get; init; }
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The silence deadline has been handled (its effect happens once).</summary>
    public bool DeadlineElapsed { get; init; }

    /// <summary>An objection was raised under the silence procedure; silence cannot complete until re-circulated.</summary>
    public bool SilenceBroken { get; init; }

    /// <summary>Who takes positions at the current level.</summary>
    public IReadOnlyList<string> Participants { get; init; } = [];
    public IReadOnlyList<SignOffRecord> SignOffs { get; init; } = [];

    /// <summary>The group's positions, kept once the draft is recommended to all members.</summary>
    public IReadOnlyList<SignOffRecord> GroupSignOffs { get; init; } = [];
    public bool Recommended { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? AdoptedAt { get; init; }

    /// <summary>Delegations' ad-referendum marks, anchored to their paragraphs (docs/drafting.md).</summary>
    public IReadOnlyList<AdReferendumMark> AdReferendum { get; init; } = [];

    /// <summary>Named versions of the text, ascending (docs/drafting.md).</summary>
    public IReadOnlyList<VersionRecord> Versions { get; init; } = [];

    public long AuditSequence { get; init; }
    public string AuditHead { get; init; } = AuditChain.Genesis;

    /// <summary>Set while the proposal is on an integrity hold (readable, not writable); docs/storage.md, "Integrity".</summary>
    public IntegrityHold? Hold { get; init; }

    /// <summary>Tabled amendments and comment threads; their anchors are in the text of <see cref="Revision"/>.</summary>
    public ProposalAnnotations Annotations { get; init; } = ProposalAnnotations.Empty;

    /// <summary>Confidential to the group's participants until recommended to all members.</summary>
    [JsonIgnore]
    public bool Confidential => Level == ConsensusLevel.Group;

    public bool IsStale(SignOffRecord signOff) => signOff.Revision < TextChangedAt;

    /// <summary>
    /// This state with <paramref name="op"/> applied to its text, for an op that reaches short of the
    /// text's end (<see cref="TextOperation.BaseLength"/> &lt; <see cref="TextLength"/>): the text is
    /// computed when first read — for a group commit's edits, once, when its last state is written.
    /// <see cref="TextLength"/> is the caller's to set.
    /// </summary>
    internal ProposalState WithTextAfter(TextOperation op)
    {
        if (op.BaseLength >= TextLength && !op.IsNoop)
        {
            throw new ArgumentException($"The op reaches position {op.BaseLength} of a text of {TextLength}: apply it to the text.", nameof(op));
        }
        return this with { _text = _text.Then(op) };
    }

    /// <summary>True while this state's text is not yet computed (see <see cref="WithTextAfter"/>).</summary>
    internal bool TextPending => _text.IsPending;

    /// <summary>False for a state read from a row whose text is in its text row, until the grain rebuilt it.</summary>
    internal bool TextLoaded => !ReferenceEquals(_text, ProposalText.NotLoaded);
}

/// <summary>A position as given: on which revision and which text (SHA-256, hex).</summary>
public sealed record SignOffRecord(string Member, Position Position, string? Reason, long Revision, string TextHash, DateTimeOffset At);
