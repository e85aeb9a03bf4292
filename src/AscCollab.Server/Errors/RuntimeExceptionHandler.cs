using AscCollab.Runtime;
using Microsoft.AspNetCore.Diagnostics;

namespace AscCollab.Server;

/// <summary>Runtime and storage failures that a client can act on (retry later, send less).</summary>
internal sealed partial class RuntimeExceptionHandler(ILogger<RuntimeExceptionHandler> logger) : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        (int Status, string Code, string Title)? mapped = exception switch
        {
            GrainCallTimeoutException => (StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "The request timed out; try again."),
            GrainOverloadedException => (StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "The server is busy; try again."),
            InconsistentStateException => (StatusCodes.Status409Conflict, ErrorCodes.Conflict, "Another change got there first; reload and try again."),
            StorageLimitException => (StatusCodes.Status413PayloadTooLarge, ErrorCodes.TooLarge, "The change would exceed a storage limit."),
            _ => null,
        };
        if (mapped is not { } m)
        {
            return ValueTask.FromResult(false);
        }

        LogRuntimeFailure(logger, httpContext.Request.Method, httpContext.Request.Path, m.Code, exception);
        // The exception message may name internal grain ids; the client gets the title only.
        return ProblemSetup.WriteProblemAsync(httpContext, m.Status, m.Code, m.Title, detail: null, exception);
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "{Method} {Path} failed with {Code}")]
    private static partial void LogRuntimeFailure(ILogger logger, string method, PathString path, string code, Exception exception);
}
