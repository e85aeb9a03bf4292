using AscCollab.Grains;

namespace AscCollab.Server;

/// <summary>An amendment changed; its anchor is in the text of <see cref="Amendment.Revision"/>.</summary>
internal sealed record AmendmentChangedMessage(string ProposalId, long Revision, Amendment Amendment);

/// <summary>A comment thread changed; its anchor is in the text of <see cref="CommentThread.Revision"/>.</summary>
internal sealed record CommentChangedMessage(string ProposalId, long Revision, CommentThread Thread);
