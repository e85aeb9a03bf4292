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

        LogRefused(logger, httpContext.Request.Method, httpContext.Request.Path, domain.Code, domain.Message);
        return ProblemSetup.WriteProblemAsync(httpContext, Problems.StatusOf(domain.Code), domain.Code, Problems.TitleOf(domain.Code), domain.Message, exception);
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "{Method} {Path} refused: {Code} {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, string code, string reason);
}
