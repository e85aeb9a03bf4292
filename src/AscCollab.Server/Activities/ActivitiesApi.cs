using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AscCollab.Grains;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AscCollab.Server;

/// <summary>A new activity under a component of the Plan of Action.</summary>
internal sealed record AddActivityRequest(
    [property: Required] string Id,
    [property: Required, Visible] string Title,
    [property: Required] string Component,
    string? Description);

internal static class ActivitiesApi
{
    public static WebApplication MapActivities(this WebApplication app)
    {
        var group = app.MapApiGroup("/api", "Activities");
        group.MapGet("/components", async (IGrainFactory grains) =>
                TypedResults.Ok(await Catalog(grains).Components()))
            .WithSummary("The six components of the ASC Plan of Action.");
        group.MapGet("/activities", async (IGrainFactory grains) =>
                TypedResults.Ok(await Catalog(grains).Activities()))
            .WithSummary("Every activity: [{ id, title, component, … }].");
        group.MapGet("/activities/{id}", Get).WithSummary("One activity.");
        group.MapPost("/activities", Add).RequireActing()
            .WithSummary("The Chair adds an activity under a component.");
        return app;
    }

    private static IActivityCatalogGrain Catalog(IGrainFactory grains) => grains.GetGrain<IActivityCatalogGrain>(IActivityCatalogGrain.Key);

    private static async Task<Results<Ok<ActivityInfo>, ProblemHttpResult>> Get(string id, IGrainFactory grains)
    {
        if (!Slugs.IsValid(id))
        {
            return Problems.NotFound($"There is no activity '{id}'.");
        }
        return TypedResults.Ok(await grains.GetGrain<IActivityGrain>(id).Get());
    }

    private static async Task<Results<Created<ActivityInfo>, ProblemHttpResult>> Add(AddActivityRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Slugs.IsValid(request.Id))
        {
            return Problems.InvalidInput("id must be a slug: lower-case letters, digits and single hyphens, at most 64 characters.");
        }
        var added = await Catalog(grains).Add(user.ToCaller(), new NewActivity(request.Id, request.Title, request.Component, request.Description ?? ""));
        return TypedResults.Created($"/api/activities/{added.Id}", added);
    }
}
