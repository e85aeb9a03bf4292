using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;
using HealthCheckReport = Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport;

namespace AscCollab.Server;

/// <summary>
/// What <c>GET /health</c> answers. Not Problem Details on 503 on purpose: probes and the outside
/// contract read <c>status</c> as a word ("ok", "starting", "unavailable"), which Problem Details
/// reserves for the HTTP status. <see cref="Silos"/>: the active silos this node sees.
/// </summary>
internal sealed record HealthReport(
    string Status,
    string Storage,
    int Silos,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? OpenIncidents = null);

/// <summary>
/// <c>GET /health</c> on ASP.NET Core health checks: <see cref="StorageHealthCheck"/> and
/// <see cref="SiloHealthCheck"/>, plus any other check registered with <c>AddHealthChecks()</c>.
/// A minimal endpoint rather than <c>MapHealthChecks</c>, so it keeps its typed answer and its
/// place in the OpenAPI document.
/// </summary>
internal static class HealthApi
{
    public const string StorageCheck = "storage";
    public const string SiloCheck = "silo";
    public const string IntegrityCheck = "integrity";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>(StorageCheck)
            .AddCheck<SiloHealthCheck>(SiloCheck)
            .AddCheck<IntegrityHealthCheck>(IntegrityCheck, HealthStatus.Degraded);
        return builder;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapGet("/health", Check)
            .AllowAnonymous()
            .WithTags("Health")
            .WithSummary("200 once Azure Table storage answers and the local silo is active (with the number of active silos this node sees), status degraded while an integrity incident is open; 503 otherwise.");
        return app;
    }

    // [FromServices]: without AddHealth() this fails per request, naming the missing service, not at start.
    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> Check([FromServices] HealthCheckService health, HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        var answer = Answer(await health.CheckHealthAsync(context.RequestAborted));
        return answer.Status is "ok" or "degraded"
            ? TypedResults.Ok(answer)
            : TypedResults.Json(answer, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>The health checks' report as the outside contract words it. (Failures are logged by the health check service.)</summary>
    public static HealthReport Answer(HealthCheckReport report)
    {
        var storage = report.Entries.TryGetValue(StorageCheck, out var storageEntry)
            ? storageEntry.Status == HealthStatus.Healthy ? "reachable" : "unreachable"
            : "unknown";
        report.Entries.TryGetValue(SiloCheck, out var siloEntry);
        var silos = siloEntry.Data?.TryGetValue(SiloHealthCheck.SilosKey, out var count) is true && count is int active ? active : 0;

        if (report.Status == HealthStatus.Healthy)
        {
            return new HealthReport("ok", storage, silos);
        }
        if (report.Status == HealthStatus.Degraded)
        {
            // Serving, but stored data failed an integrity check: 200 (keep the node in rotation), the word says it.
            report.Entries.TryGetValue(IntegrityCheck, out var integrity);
            var open = integrity.Data?.TryGetValue(IntegrityHealthCheck.OpenKey, out var value) is true && value is int n ? n : (int?)null;
            var degraded = string.Join(" ", report.Entries.Values.Where(e => e.Status != HealthStatus.Healthy).Select(e => e.Description ?? "degraded"));
            return new HealthReport("degraded", storage, silos, degraded, open);
        }

        var starting = siloEntry.Data?.TryGetValue(SiloHealthCheck.StatusKey, out var status) is true
            && status is SiloStatus siloStatus && SiloHealthCheck.IsStarting(siloStatus);
        var detail = string.Join(" ", report.Entries.Values
            .Where(e => e.Status != HealthStatus.Healthy)
            .Select(e => e.Description ?? e.Exception?.Message ?? "unhealthy"));
        return new HealthReport(starting ? "starting" : "unavailable", storage, silos, detail);
    }
}
