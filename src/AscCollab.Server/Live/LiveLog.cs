using AscCollab.Grains;

namespace AscCollab.Server;

internal static partial class LiveLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Hub connection {ConnectionId} opened by {Member} ({Role})")]
    public static partial void Connected(ILogger logger, string connectionId, string member, CallerRole role);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Hub connection {ConnectionId} closed")]
    public static partial void Disconnected(ILogger logger, string connectionId, Exception? exception);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Hub call {Method} by {Member} refused: {Error}")]
    public static partial void Refused(ILogger logger, string method, string member, string error);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug, Message = "Hub call {Method} by {Member} refused with {Code}: {Detail}")]
    public static partial void RefusedWithCode(ILogger logger, string method, string member, string code, string detail);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Hub call {Method} by {Member} failed with {Code}")]
    public static partial void Failed(ILogger logger, string method, string member, string code, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Acknowledging revision {Revision} of {ProposalId} before earlier edits were pushed (waited {TimeoutMs} ms)")]
    public static partial void AckOrderingTimedOut(ILogger logger, string proposalId, long revision, double timeoutMs);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Pushing {Event} for {ProposalId} failed")]
    public static partial void PushFailed(ILogger logger, string @event, string proposalId, Exception exception);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Renewing this node's subscription to {Subject} failed")]
    public static partial void RenewFailed(ILogger logger, string subject, Exception exception);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Information, Message = "Edits of {ProposalId} after {Known} up to {Revision} were fetched from the grain ({Count}): a subscription had lapsed")]
    public static partial void CaughtUp(ILogger logger, string proposalId, long known, long revision, int count);
}
