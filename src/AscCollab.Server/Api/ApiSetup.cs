using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace AscCollab.Server;

/// <summary>
/// What every /api route shares: Problem Details, validation, a body-size limit, per-member
/// rate limiting and the OpenAPI document. Feature route groups opt into the rate limit with
/// <see cref="RateLimitPolicy"/>.
/// </summary>
internal static class ApiSetup
{
    public const string RateLimitPolicy = "per-member";

    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddProblems();
        services.AddOpenApi(o => o.AddDocumentTransformer<BearerSecurityTransformer>());

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }
                await ProblemSetup.WriteProblemAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                    "Too many requests.", "This delegation has used its requests for the current window; retry after the Retry-After delay.");
            };
            o.AddPolicy(RateLimitPolicy, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptionsMonitor<ApiOptions>>().CurrentValue;
                // Per delegation, not per person: a member's delegates share one budget.
                var partition = context.User.TryGetCaller(out var caller)
                    ? "member:" + caller.Member
                    : "address:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.PermitsPerWindow,
                    Window = limits.Window,
                    QueueLimit = 0,
                });
            });
        });
        return builder;
    }

    /// <summary>The middleware, in order. Feature endpoints are mapped after this.</summary>
    public static WebApplication UseApi(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseProblems();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.Use(LimitBody);
        app.MapOpenApi().AllowAnonymous();
        return app;
    }

    private static Task LimitBody(HttpContext context, RequestDelegate next)
    {
        var limit = context.RequestServices.GetRequiredService<IOptionsMonitor<ApiOptions>>().CurrentValue.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return ProblemSetup.WriteProblemAsync(context, StatusCodes.Status413PayloadTooLarge, ErrorCodes.TooLarge,
                "The request body is too large.", $"Request bodies are limited to {limit} bytes.").AsTask();
        }

        // Bodies without a length (chunked) are cut off by the server while they are read.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        return next(context);
    }
}
