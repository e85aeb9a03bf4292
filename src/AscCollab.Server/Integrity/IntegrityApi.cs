using System.Security.Claims;
using AscCollab.Grains;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AscCollab.Server;

/// <summary>The integrity incidents registry for the Chair's and the secretariat's dashboard (docs/api.md, "Integrity").</summary>
internal static class IntegrityApi
{
    // Not RequireActing: acknowledging is the secretariat's (the grains check the role).
    public static WebApplication MapIntegrity(this WebApplication app)
    {
        var incidents = app.MapApiGroup("/api/integrity/incidents", "Integrity");
        incidents.MapGet("/", List).WithSummary("Chair and secretariat: every integrity incident kept, newest first.");
        incidents.MapPost("/{incident}/acknowledge", Acknowledge)
            .WithSummary("Secretariat: acknowledges an open incident that holds no proposal, with a reason.");
        app.MapApiGroup("/api/proposals", "Integrity")
            .MapPost("/{id}/integrity/acknowledge", AcknowledgeHold)
            .WithSummary("Secretariat: lifts a proposal's integrity hold with a reason (audited; acknowledges its incidents).");
        return app;
    }

    private static async Task<Results<Ok<ProposalSnapshot>, ProblemHttpResult>> AcknowledgeHold(string id, ReasonRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!ProposalIds.IsValid(id))
        {
            return Problems.NotFound($"There is no proposal '{(id.Length > 40 ? id[..40] + "…" : id)}'.");
        }
        return TypedResults.Ok(await grains.GetGrain<IProposalGrain>(id).AcknowledgeIntegrity(user.ToCaller(), request.Reason ?? ""));
    }

    private static async Task<Ok<IReadOnlyList<IntegrityIncident>>> List(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IIntegrityGrain>(IIntegrityGrain.Key).List(user.ToCaller()));

    private static async Task<Ok<IntegrityIncident>> Acknowledge(string incident, ReasonRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IIntegrityGrain>(IIntegrityGrain.Key).Acknowledge(user.ToCaller(), incident, request.Reason ?? ""));
}
