using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AscCollab.Grains;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AscCollab.Server;

/// <summary>An ad-hoc group set up by the AMM. <see cref="Participants"/> empty or omitted: all members.</summary>
internal sealed record SetUpGroupRequest(
    [property: Required] string Id,
    [property: Required, Visible] string Name,
    [property: Required] string Mandate,
    [property: Required] string Coordinator,
    [property: Required] IReadOnlyList<string> Activities,
    IReadOnlyList<string>? Participants);

internal static class GroupsApi
{
    public static WebApplication MapGroups(this WebApplication app)
    {
        var group = app.MapApiGroup("/api/groups", "Groups");
        group.MapGet("/", List).WithSummary("Every ad-hoc group's charter (any member may read them).");
        group.MapPost("/", SetUp).RequireActing()
            .WithSummary("The Chair sets up an ad-hoc group: mandate, participants, coordinator, activities.");
        group.MapGet("/{id}", Get).WithSummary("A group's charter (any member may read it).");
        group.MapGet("/{id}/consensus", GetConsensus)
            .WithSummary("Consensus per proposal assigned to the group: participants, the Chair and the secretariat.");
        return app;
    }

    private static async Task<Results<Created<GroupInfo>, ProblemHttpResult>> SetUp(SetUpGroupRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Slugs.IsValid(request.Id))
        {
            return Problems.InvalidInput("id must be a slug: lower-case letters, digits and single hyphens, at most 64 characters.");
        }
        var charter = new GroupCharter(request.Name, request.Mandate, request.Participants ?? [], request.Coordinator, request.Activities);
        var info = await grains.GetGrain<IAdHocGroupGrain>(request.Id).SetUp(user.ToCaller(), charter);
        return TypedResults.Created($"/api/groups/{info.GroupId}", info);
    }

    private static async Task<Ok<GroupInfo[]>> List(IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IGroupDirectoryGrain>(IGroupDirectoryGrain.Key).List();
        return TypedResults.Ok(await Task.WhenAll(ids.Select(id => grains.GetGrain<IAdHocGroupGrain>(id).Get())));
    }

    private static async Task<Results<Ok<GroupInfo>, ProblemHttpResult>> Get(string id, IGrainFactory grains) =>
        Slugs.IsValid(id)
            ? TypedResults.Ok(await grains.GetGrain<IAdHocGroupGrain>(id).Get())
            : Problems.NotFound($"There is no group '{Echo.Of(id)}'.");

    private static async Task<Results<Ok<IReadOnlyList<GroupProposalStatus>>, ProblemHttpResult>> GetConsensus(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        Slugs.IsValid(id)
            ? TypedResults.Ok(await grains.GetGrain<IAdHocGroupGrain>(id).GetConsensus(user.ToCaller()))
            : Problems.NotFound($"There is no group '{Echo.Of(id)}'.");
}
