using AscCollab.Grains;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace AscCollab.Server;

/// <summary>
/// Every error leaves as RFC 9457 Problem Details with a stable <c>code</c> extension: domain
/// errors through <see cref="DomainExceptionHandler"/>, framework errors (401, 404, 405, 413,
/// 429, malformed JSON) through the status-code pages and <see cref="BadRequestHandler"/>.
/// Every <c>type</c> is <c>/errors/{code}</c>, a page this server serves from docs/errors.md.
/// </summary>
internal static class ProblemSetup
{
    public static IServiceCollection AddProblems(this IServiceCollection services)
    {
        services.AddRequestJson();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            var code = problem.Extensions.TryGetValue("code", out var known) && known is string s ? s : ErrorCodes.ForStatus(status);
            problem.Extensions["code"] = code;
            // One scheme for every problem, whoever wrote it (ours, the framework's RFC 9110 links).
            problem.Type = ErrorPages.TypeOf(code);
            problem.Instance ??= Echo.Message(context.HttpContext.Request.Path);
            // Whoever wrote the problem: what the caller sent is echoed shortened (Echo).
            problem.Detail = problem.Detail is null ? null : Echo.Message(problem.Detail);
            if (problem is HttpValidationProblemDetails validation)
            {
                foreach (var (field, messages) in validation.Errors.ToList())
                {
                    validation.Errors.Remove(field);
                    validation.Errors[Echo.Of(field)] = [.. messages.Select(Echo.Message)];
                }
            }
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

    /// <remarks>
    /// Not around a WebSocket upgrade (the hub's connections): such a request lasts as long as its
    /// connection, and so would these two middleware's frames, about 270 bytes per idle connection
    /// (docs/performance.md). A refused upgrade still gets its problem (401 and 403 are written by
    /// <see cref="ProblemAuthorizationResultHandler"/>); once the upgrade is answered (101) there is
    /// no response left for either to write.
    /// </remarks>
    public static IApplicationBuilder UseProblems(this IApplicationBuilder app) =>
        app.UseWhen(static context => !IsWebSocketUpgrade(context), static problems =>
        {
            problems.UseExceptionHandler();
            problems.UseStatusCodePages();
        });

    /// <summary>An HTTP/1.1 upgrade to WebSocket, or an HTTP/2 extended CONNECT (RFC 8441).</summary>
    public static bool IsWebSocketUpgrade(HttpContext context) =>
        (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
            && string.Equals(context.Request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase))
        || context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true };

    /// <summary>
    /// Writes a Problem Details response with <paramref name="code"/> through the registered writer;
    /// with <paramref name="errors"/> (field → messages) as a validation problem.
    /// </summary>
    public static ValueTask<bool> WriteProblemAsync(HttpContext context, int status, string code, string title, string? detail,
        Exception? exception = null, IDictionary<string, string[]>? errors = null)
    {
        context.Response.StatusCode = status;
        var problem = errors is null ? new ProblemDetails() : new HttpValidationProblemDetails(errors);
        problem.Status = status;
        problem.Title = title;
        problem.Detail = detail;
        problem.Extensions["code"] = code;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        return problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, Exception = exception, ProblemDetails = problem });
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
    public const string InvalidReceipt = "invalid_receipt";
    public const string ReceiptKeyUnknown = "receipt_key_unknown";
    public const string ReceiptSignatureInvalid = "receipt_signature_invalid";

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
