using System.Text.Json.Serialization;
using AscCollab.Storage.AzureTable;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AscCollab.Server;

/// <summary>
/// What <c>GET /health</c> answers. Not Problem Details on 503 on purpose: probes and the outside
/// contract read <c>status</c> as a word ("ok", "unavailable"), which Problem Details reserves for the HTTP status.
/// </summary>
internal sealed record HealthReport(string Status, string Storage, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail = null);

internal static partial class HealthApi
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapGet("/health", Check)
            .AllowAnonymous()
            .WithTags("Health")
            .WithSummary("200 once Azure Table storage answers, 503 otherwise.");
        return app;
    }

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> Check(
        AzureTableHealthProbe probe, HttpContext context, ILogger<HealthReport> logger)
    {
        context.Response.Headers.CacheControl = "no-store";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(ProbeTimeout);
        AzureTableHealth health;
        try
        {
            health = await probe.CheckAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            health = new AzureTableHealth(false, $"Azure Table storage did not answer within {ProbeTimeout.TotalSeconds:0} s.");
        }

        if (health.IsHealthy)
        {
            return TypedResults.Ok(new HealthReport("ok", "reachable"));
        }

        LogUnhealthy(logger, health.Description);
        return TypedResults.Json(new HealthReport("unavailable", "unreachable", health.Description), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Health check failed: {Description}")]
    private static partial void LogUnhealthy(ILogger logger, string description);
}
