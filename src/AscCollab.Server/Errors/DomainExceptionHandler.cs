using AscCollab.Grains;
using Microsoft.AspNetCore.Diagnostics;

namespace AscCollab.Server;

/// <summary>A refused domain request: its stable code becomes the status and the <c>code</c> extension.</summary>
internal sealed partial class DomainExceptionHandler(ILogger<DomainExceptionHandler> logger) : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not DomainException domain)
        {
            return ValueTask.FromResult(false);
        }

        // What the caller sent (the path, the refusal's quote of it) is logged shortened (Echo).
        var path = Echo.Message(httpContext.Request.Path);
        var reason = Echo.Message(domain.Message);
        LogRefused(logger, httpContext.Request.Method, path, domain.Code, reason);
        return ProblemSetup.WriteProblemAsync(httpContext, Problems.StatusOf(domain.Code), domain.Code, Problems.TitleOf(domain.Code), domain.Message, exception);
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "{Method} {Path} refused: {Code} {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string code, string reason);
}
