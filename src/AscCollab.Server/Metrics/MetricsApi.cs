using System.Security.Claims;
using AscCollab.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AscCollab.Server;

internal static class MetricsApi
{
    public static WebApplicationBuilder AddRuntimeMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RuntimeMetricsCollector>();
        return builder;
    }

    public static WebApplication MapRuntimeMetrics(this WebApplication app)
    {
        // Resolve now so the listener sees instruments published while the host starts.
        app.Services.GetRequiredService<RuntimeMetricsCollector>();
        app.MapGet("/metrics", Get)
            .RequireAuthorization(AuthSetup.DelegationPolicy)
            .RequireRateLimiting(ApiSetup.RateLimitPolicy)
            .WithTags("Metrics")
            .WithSummary("Grain runtime counters (activations, calls, queue length, call duration, storage writes). The Chair and the secretariat.");
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
