using AscCollab.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AscCollab.Server;

/// <summary>Who holds the chairmanship now (null between terms) and the whole schedule.</summary>
internal sealed record ChairmanshipView(string? Current, IReadOnlyList<ChairTerm> Schedule);

/// <summary>
/// Read-only on purpose: the chairmanship is decided by the ASEAN Summit, not by any delegation
/// in this application. The schedule is configuration ("AscCollab:Chairmanship", reloaded while
/// running), and a handover takes effect at its instant because every check asks the clock.
/// </summary>
internal static class ChairmanshipApi
{
    public static WebApplication MapChairmanship(this WebApplication app)
    {
        var group = app.MapApiGroup("/api/chairmanship", "Chairmanship");
        group.MapGet("/", Get).WithSummary("The member holding the chairmanship now and the schedule of terms.");
        return app;
    }

    private static Ok<ChairmanshipView> Get(IChairmanship chairmanship) =>
        TypedResults.Ok(new ChairmanshipView(chairmanship.CurrentHolder(), chairmanship.Schedule()));
}
