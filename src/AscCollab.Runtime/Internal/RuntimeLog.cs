using Microsoft.Extensions.Logging;

namespace AscCollab.Runtime;

internal static partial class RuntimeLog
{
    [LoggerMessage(1, LogLevel.Debug, "Activated {GrainId}")]
    public static partial void Activated(ILogger logger, GrainId grainId);

    [LoggerMessage(2, LogLevel.Error, "Activation of {GrainId} failed; its queued calls fail with the same error")]
    public static partial void ActivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(3, LogLevel.Debug, "Deactivated {GrainId} ({Reason})")]
    public static partial void Deactivated(ILogger logger, GrainId grainId, DeactivationReason reason);

    [LoggerMessage(4, LogLevel.Error, "OnDeactivateAsync of {GrainId} ({Reason}) failed; the activation is removed anyway")]
    public static partial void DeactivationHookFailed(ILogger logger, Exception exception, GrainId grainId, DeactivationReason reason);

    [LoggerMessage(5, LogLevel.Debug, "Call {Method} on {GrainId} failed; the caller receives the exception")]
    public static partial void CallFailed(ILogger logger, Exception exception, GrainId grainId, string method);

    [LoggerMessage(6, LogLevel.Warning, "One-way call {Method} on {GrainId} failed")]
    public static partial void OneWayCallFailed(ILogger logger, Exception exception, GrainId grainId, string method);

    [LoggerMessage(7, LogLevel.Warning, "{Method} on {GrainId} hit a stale ETag; deactivating so the next call reloads state")]
    public static partial void InconsistentState(ILogger logger, GrainId grainId, string method);

    [LoggerMessage(8, LogLevel.Warning, "Call {Method} on {GrainId} timed out after {Timeout}")]
    public static partial void CallTimedOut(ILogger logger, GrainId grainId, string method, TimeSpan timeout);

    [LoggerMessage(9, LogLevel.Information, "Grain runtime stopping: {PendingCalls} calls in flight, {Activations} activations")]
    public static partial void ShutdownStarted(ILogger logger, int pendingCalls, int activations);

    [LoggerMessage(10, LogLevel.Warning, "Shutdown stopped waiting for {PendingCalls} in-flight calls (stop token cancelled)")]
    public static partial void ShutdownDrainCut(ILogger logger, int pendingCalls);

    [LoggerMessage(11, LogLevel.Warning, "Shutdown stopped waiting for {Activations} activations to deactivate (stop token cancelled)")]
    public static partial void ShutdownDeactivationCut(ILogger logger, int activations);

    [LoggerMessage(12, LogLevel.Information, "Grain runtime stopped")]
    public static partial void ShutdownCompleted(ILogger logger);

    [LoggerMessage(13, LogLevel.Debug, "Collected {Count} idle activations")]
    public static partial void IdleCollected(ILogger logger, int count);

    [LoggerMessage(14, LogLevel.Error, "Grain event handler failed for an event from {GrainId}")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(15, LogLevel.Warning, "Event from {GrainId} dropped: the event stream is stopped")]
    public static partial void EventDropped(ILogger logger, GrainId grainId);

    [LoggerMessage(16, LogLevel.Warning, "Reminder {Name} of {GrainId} was not delivered")]
    public static partial void ReminderDeliveryFailed(ILogger logger, Exception exception, GrainId grainId, string name);

    [LoggerMessage(17, LogLevel.Error, "Reading the reminder table failed; retrying at the next refresh")]
    public static partial void ReminderRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(18, LogLevel.Debug, "Reminder table read: {Count} reminders scheduled")]
    public static partial void RemindersLoaded(ILogger logger, int count);

    [LoggerMessage(19, LogLevel.Error, "Removing delivered one-shot reminder {Name} of {GrainId} failed; it may fire again")]
    public static partial void ReminderRemoveFailed(ILogger logger, Exception exception, GrainId grainId, string name);
}
