using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace AscCollab.Server;

/// <summary>
/// Every error leaves as RFC 9457 Problem Details with a stable <c>code</c> extension: domain
/// errors through <see cref="DomainExceptionHandler"/>, framework errors (401, 404, 405, 413,
/// 429, malformed JSON) through the status-code pages and <see cref="BadRequestHandler"/>.
/// </summary>
internal static class ProblemSetup
{
    public static IServiceCollection AddProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Extensions.TryAdd("code", ErrorCodes.ForStatus(status));
            problem.Instance ??= context.HttpContext.Request.Path;
            var traceId = context.HttpContext.Features.Get<IHttpActivityFeature>()?.Activity?.Id ?? context.HttpContext.TraceIdentifier;
            problem.Extensions.TryAdd("traceId", traceId);
        });

        // Order matters: the first handler that recognises the exception writes the response.
        services.AddExceptionHandler<DomainExceptionHandler>();
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddExceptionHandler<RuntimeExceptionHandler>();

        // Malformed JSON and bad route values throw in every environment, so they reach
        // BadRequestHandler and get a detail, not an empty 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static IApplicationBuilder UseProblems(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>Writes a Problem Details response with <paramref name="code"/> through the registered writer.</summary>
    public static ValueTask<bool> WriteProblemAsync(HttpContext context, int status, string code, string title, string? detail, Exception? exception = null)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        return problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = title,
                Detail = detail,
                Type = $"https://asccollab/errors/{code}",
                Extensions = { ["code"] = code },
            },
        });
    }
}

/// <summary>The stable error codes of the HTTP and hub edges (see docs/api.md).</summary>
internal static class ErrorCodes
{
    public const string NotFound = "not_found";
    public const string Forbidden = "forbidden";
    public const string Unauthorized = "unauthorized";
    public const string InvalidInput = "invalid_input";
    public const string TooLarge = "too_large";
    public const string Conflict = "conflict";
    public const string RateLimited = "rate_limited";
    public const string Unavailable = "unavailable";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string Internal = "internal";

    public static string ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => InvalidInput,
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status409Conflict => Conflict,
        StatusCodes.Status413PayloadTooLarge => TooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status429TooManyRequests => RateLimited,
        StatusCodes.Status503ServiceUnavailable => Unavailable,
        _ => status >= 500 ? Internal : InvalidInput,
    };
}

/// <summary>Malformed JSON, a missing body, a non-JSON content type, an oversize body.</summary>
internal sealed class BadRequestHandler : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return ValueTask.FromResult(false);
        }

        var (code, title) = bad.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => (ErrorCodes.TooLarge, "The request body is too large."),
            StatusCodes.Status415UnsupportedMediaType => (ErrorCodes.UnsupportedMediaType, "The request body must be JSON."),
            _ => (ErrorCodes.InvalidInput, "The request could not be read."),
        };
        var detail = bad.InnerException is System.Text.Json.JsonException json ? $"{bad.Message} {json.Message}" : bad.Message;
        return ProblemSetup.WriteProblemAsync(httpContext, bad.StatusCode, code, title, detail, exception);
    }
}
