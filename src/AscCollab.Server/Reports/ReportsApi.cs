using System.Security.Claims;
using AscCollab.Grains;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AscCollab.Server;

/// <summary>The report's data plus the names a reader needs (activities and members by code).</summary>
internal sealed record ReportContext(AnnualReport Report, IReadOnlyDictionary<string, string> ActivityTitles, IReadOnlyDictionary<string, string> MemberNames)
{
    public string ActivityTitle(string id) => ActivityTitles.TryGetValue(id, out var title) ? title : id;

    public string MemberName(string code) => MemberNames.TryGetValue(code, out var name) ? name : code;
}

/// <summary>
/// The annual progress report of the AMM to the ASEAN Summit (Plan of Action, implementing
/// mechanisms): as data, as Markdown and as print-ready HTML. Chair and secretariat.
/// </summary>
internal static class ReportsApi
{
    private const int FirstYear = 2004;

    public static WebApplication MapReports(this WebApplication app)
    {
        var group = app.MapApiGroup("/api/reports/annual/{year:int}", "Reports");
        group.MapGet("/", async (int year, ClaimsPrincipal user, IGrainFactory grains, IRoster roster) =>
                await Build(year, user, grains, roster) is { } context ? Ok(context.Report) : BadYear(year))
            .WithSummary("The annual progress report's data.");
        group.MapGet("/markdown", async (int year, ClaimsPrincipal user, IGrainFactory grains, IRoster roster) =>
                await Build(year, user, grains, roster) is { } context ? Text(AnnualReportMarkdown.Render(context), "text/markdown") : BadYear(year))
            .Produces<string>(StatusCodes.Status200OK, "text/markdown")
            .WithSummary("The annual progress report as Markdown.");
        group.MapGet("/html", async (int year, ClaimsPrincipal user, IGrainFactory grains, IRoster roster) =>
                await Build(year, user, grains, roster) is { } context ? Text(AnnualReportHtml.Render(context), "text/html") : BadYear(year))
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .WithContentSecurityPolicy(AnnualReportHtml.Policy)
            .WithSummary("The annual progress report as a self-contained, print-ready HTML page.");
        return app;
    }

    private static Results<Ok<AnnualReport>, ContentHttpResult, ProblemHttpResult> Ok(AnnualReport report) => TypedResults.Ok(report);

    private static Results<Ok<AnnualReport>, ContentHttpResult, ProblemHttpResult> Text(string content, string mediaType) =>
        TypedResults.Text(content, mediaType + "; charset=utf-8");

    private static Results<Ok<AnnualReport>, ContentHttpResult, ProblemHttpResult> BadYear(int year) =>
        Problems.InvalidInput($"year must be between {FirstYear} (the Plan of Action) and next year; {year} is not.");

    private static async Task<ReportContext?> Build(int year, ClaimsPrincipal user, IGrainFactory grains, IRoster roster)
    {
        if (year < FirstYear || year > DateTimeOffset.UtcNow.Year + 1)
        {
            return null;
        }

        var report = await grains.GetGrain<IProgressGrain>(IProgressGrain.Key).GetAnnualReport(user.ToCaller(), year);
        var activities = await grains.GetGrain<IActivityCatalogGrain>(IActivityCatalogGrain.Key).Activities();
        return new ReportContext(
            report,
            activities.ToDictionary(a => a.Id, a => a.Title, StringComparer.Ordinal),
            roster.Members().ToDictionary(m => m.Code, m => m.Name, StringComparer.Ordinal));
    }
}
