using AscCollab.Grains;
using AscCollab.Storage;
using Orleans.Runtime;
using Orleans.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace AscCollab.Server;

/// <summary>Runtime and storage failures that a client can act on (retry later, send less).</summary>
internal static class RuntimeFailures
{
    public const string OutcomeUnknown = "No answer in time: the change may or may not have been applied. Retry with the same op id, or reload and check.";
}

internal sealed partial class RuntimeExceptionHandler(ILogger<RuntimeExceptionHandler> logger) : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        (int Status, string Code, string Title)? mapped = exception switch
        {
            TimeoutException or SiloUnavailableException => (StatusCodes.Status503ServiceUnavailable, DomainErrorCodes.OutcomeUnknown, RuntimeFailures.OutcomeUnknown),
            OrleansMessageRejectionException or GatewayTooBusyException => (StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "The server is busy; nothing was applied. Try again."),
            InconsistentStateException => (StatusCodes.Status409Conflict, ErrorCodes.Conflict, "Another change got there first; reload and try again."),
            StorageLimitException => (StatusCodes.Status413PayloadTooLarge, ErrorCodes.TooLarge, "The change would exceed a storage limit."),
            _ => null,
        };
        if (mapped is not { } m)
        {
            return ValueTask.FromResult(false);
        }

        var path = Echo.Message(httpContext.Request.Path);
        LogRuntimeFailure(logger, httpContext.Request.Method, path, m.Code, exception);
        // The exception message may name internal grain ids; the client gets the title only.
        return ProblemSetup.WriteProblemAsync(httpContext, m.Status, m.Code, m.Title, detail: null, exception);
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "{Method} {Path} failed with {Code}")]
    private static partial void LogRuntimeFailure(ILogger logger, string method, string path, string code, Exception exception);
}
