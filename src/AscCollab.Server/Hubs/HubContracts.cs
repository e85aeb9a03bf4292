using AscCollab.Grains;
using AscCollab.Text;

namespace AscCollab.Server;

// What the hub sends and answers; docs/hub.md describes each. Property names go out in camelCase.

/// <summary>
/// The answer of OpenProposal. The first seven fields are the editing contract; the rest are additions.
/// <see cref="ConnectionId"/> is this connection's id, to find itself in <see cref="Editors"/> (a client that skips negotiation does not know it).
/// </summary>
internal sealed record OpenedProposal(
    string ProposalId,
    string Title,
    long Revision,
    string Text,
    ProposalStatus Status,
    IReadOnlyList<SignOffView> SignOffs,
    IReadOnlyList<EditorPresence> Editors,
    string TextHash,
    ProposalSummary Summary,
    string ConnectionId,
    IReadOnlyList<MemberPresence> Members,
    int EditorsTotal);

/// <summary>The answer of SubmitEdit: the document revision after the edit, once durable.</summary>
internal sealed record EditResult(long Revision);

/// <summary>One committed edit, as GetEditsSince answers it. <see cref="Revision"/> is the revision after <see cref="Op"/>.</summary>
internal sealed record EditView(long Revision, TextOperation Op, string Member, DateTimeOffset At);

/// <summary>A selection a client reports: code-point positions in the text of the revision it names.</summary>
internal sealed record CursorRange(int Anchor, int Head);

/// <summary>A selection as the server holds it, in the text of <see cref="Revision"/>.</summary>
internal sealed record CursorView(int Anchor, int Head, long Revision);

/// <summary>One connection that has the proposal open. <see cref="Cursor"/> is null until it reports one.</summary>
internal sealed record EditorPresence(string Member, string ConnectionId, CursorView? Cursor);

/// <summary>Event: another connection's edit became durable.</summary>
internal sealed record EditAppliedMessage(string ProposalId, long Revision, TextOperation Op, string Member);

/// <summary>How many connections a member has on the proposal.</summary>
internal sealed record MemberPresence(string Member, int Connections);

/// <summary>
/// Who has the proposal open: <see cref="Editors"/> lists at most <see cref="LiveOptions.MaxEditorsListed"/>
/// connections (those with a cursor first), <see cref="Members"/> counts every connection per member,
/// <see cref="Total"/> counts them all — so a message stays small however many are watching.
/// </summary>
internal sealed record PresenceView(IReadOnlyList<EditorPresence> Editors, IReadOnlyList<MemberPresence> Members, int Total);

/// <summary>Event: who has the proposal open, and where their cursors are (see <see cref="PresenceView"/>).</summary>
internal sealed record PresenceChangedMessage(string ProposalId, IReadOnlyList<EditorPresence> Editors, IReadOnlyList<MemberPresence> Members, int Total);

/// <summary>Event: what the structure of a proposal's text says changed (docs/drafting.md).</summary>
internal sealed record StructureChangedMessage(string ProposalId, DraftStructure Structure);

/// <summary>Event: a version of a proposal became durable.</summary>
internal sealed record VersionRecordedMessage(string ProposalId, VersionRecord Version);

/// <summary>Event: status, sign-offs, deadline, level or title of a proposal changed.</summary>
internal sealed record ProposalUpdatedMessage(string ProposalId, ProposalSummary Summary);

/// <summary>Event: consensus within an ad-hoc group changed for one of its proposals.</summary>
internal sealed record GroupConsensusChangedMessage(string GroupId, GroupProposalStatus Proposal);

/// <summary>Event: what awaits the connection's own delegation changed.</summary>
internal sealed record ToDoChangedMessage(string Member, MemberToDo ToDo);

/// <summary>Event: the Chair's dashboard changed (Chair and secretariat connections that called WatchDashboard).</summary>
internal sealed record ProgressChangedMessage(ProgressOverview Overview);

/// <summary>Event: an integrity incident was reported or acknowledged (Chair and secretariat connections that called WatchDashboard).</summary>
internal sealed record IntegrityIncidentMessage(IntegrityIncident Incident);

/// <summary>The client-side method names of the events.</summary>
internal static class HubEvents
{
    public const string EditApplied = "EditApplied";
    public const string PresenceChanged = "PresenceChanged";
    public const string ProposalUpdated = "ProposalUpdated";
    public const string GroupConsensusChanged = "GroupConsensusChanged";
    public const string ToDoChanged = "ToDoChanged";
    public const string ProgressChanged = "ProgressChanged";
    public const string StructureChanged = "StructureChanged";
    public const string VersionRecorded = "VersionRecorded";
    public const string AmendmentChanged = "AmendmentChanged";
    public const string CommentChanged = "CommentChanged";
    public const string IntegrityIncident = "IntegrityIncident";
}

/// <summary>Codes the hub adds to <see cref="DomainErrorCodes"/>.</summary>
internal static class HubErrorCodes
{
    public const string RateLimited = "rate_limited";
    public const string Internal = "internal";
}
