using System.Security.Claims;
using AscCollab.Grains;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AscCollab.Server;

internal static class ProgressApi
{
    public static WebApplication MapProgress(this WebApplication app)
    {
        var group = app.MapApiGroup("/api/progress", "Progress");
        group.MapGet("/", Get).WithSummary("The Chair's dashboard: per component, activity, group and member. Chair and secretariat.");
        return app;
    }

    private static async Task<Ok<ProgressOverview>> Get(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IProgressGrain>(IProgressGrain.Key).GetOverview(user.ToCaller()));
}
