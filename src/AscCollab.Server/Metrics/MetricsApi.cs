using System.Security.Claims;
using AscCollab.Grains;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenTelemetry.Metrics;

namespace AscCollab.Server;

internal static class MetricsApi
{
    /// <summary>Standard OpenTelemetry setting: where the OTLP exporter sends; no exporter when it is unset.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// OpenTelemetry metrics for Orleans', ASP.NET Core's and AscCollab's meters, exported over OTLP
    /// when <see cref="OtlpEndpointVariable"/> is set (without an exporter the SDK enables no
    /// instrument and costs nothing); and the collector behind <c>GET /metrics</c>.
    /// </summary>
    public static WebApplicationBuilder AddRuntimeMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AscCollabMetrics>();
        builder.Services.AddSingleton<RuntimeMetricsCollector>();

        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter([.. AscCollabMetrics.CollectedMeters]).AddAspNetCoreInstrumentation();
            if (exportOtlp)
            {
                // The exporter reads the endpoint, protocol, headers and interval from the standard OTEL_* settings.
                metrics.AddOtlpExporter();
            }
        });
        return builder;
    }

    public static WebApplication MapRuntimeMetrics(this WebApplication app)
    {
        // Resolve now so the listener sees instruments published while the host starts.
        app.Services.GetRequiredService<RuntimeMetricsCollector>();
        app.Services.GetRequiredService<AscCollabMetrics>();
        app.MapGet("/metrics", Get)
            .RequireAuthorization(AuthSetup.DelegationPolicy)
            .RequireRateLimiting(ApiSetup.RateLimitPolicy)
            .WithTags("Metrics")
            .WithSummary("Totals since start of the instruments of the meters Microsoft.Orleans (activations, messaging, storage, reminders) and AscCollab. The Chair and the secretariat.");
        return app;
    }

    private static Results<Ok<RuntimeMetricsSnapshot>, ProblemHttpResult> Get(ClaimsPrincipal user, IChairmanship chairmanship, RuntimeMetricsCollector collector)
    {
        var caller = user.ToCaller();
        if (caller.Role != CallerRole.Secretariat && !chairmanship.HasChairRights(caller))
        {
            return Problems.Forbidden("Runtime metrics are for the Chair (the member holding the chairmanship now) and the secretariat.");
        }
        return TypedResults.Ok(collector.Snapshot());
    }
}
