using System.Security.Claims;
using AscCollab.Grains;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AscCollab.Server;

internal static class MembersApi
{
    public static WebApplication MapMembers(this WebApplication app)
    {
        var group = app.MapApiGroup("/api/members", "Members");
        group.MapGet("/", (IRoster roster) => TypedResults.Ok(roster.Members()))
            .WithSummary("The member states on the roster.");
        group.MapGet("/{code}", Get).WithSummary("One member state.");
        group.MapGet("/{code}/todo", GetToDo)
            .WithSummary("What awaits a delegation: sign-offs to give or renew, deadlines. Its own delegates, the Chair and the secretariat.");
        return app;
    }

    private static Results<Ok<MemberInfo>, ProblemHttpResult> Get(string code, IRoster roster) =>
        roster.Find(code) is { } member ? TypedResults.Ok(member) : Problems.NotFound($"'{code}' is not a member.");

    private static async Task<Results<Ok<MemberToDo>, ProblemHttpResult>> GetToDo(string code, ClaimsPrincipal user, IRoster roster, IGrainFactory grains)
    {
        if (!roster.IsMember(code))
        {
            return Problems.NotFound($"'{code}' is not a member.");
        }
        return TypedResults.Ok(await grains.GetGrain<IMemberGrain>(code).GetToDo(user.ToCaller()));
    }
}
