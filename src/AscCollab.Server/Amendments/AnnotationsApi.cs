using System.Security.Claims;
using AscCollab.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AscCollab.Server;

/// <summary>Tabled amendments and comment threads of a proposal (docs/api.md, docs/amendments.md).</summary>
internal static class AnnotationsApi
{
    public static WebApplication MapAnnotations(this WebApplication app)
    {
        var one = app.MapApiGroup("/api/proposals/{id}", "Amendments and comments")
            .AddEndpointFilter(KnownIdShape)
            .ProducesProblem(StatusCodes.Status404NotFound);

        one.MapGet("/amendments", async (string id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var view = await Proposal(grains, id).GetAnnotations(user.ToCaller());
            return TypedResults.Ok(new AmendmentList(view.Revision, view.Amendments));
        }).WithSummary("Every amendment (open and decided), anchors at the committed head.");
        one.MapPost("/amendments", TableAmendment).RequireActing()
            .WithSummary("A delegate of a participating member tables an amendment on a range of the text at a revision.");
        one.MapGet("/amendments/{amendmentId}", GetAmendment).WithSummary("One amendment.");
        one.MapPut("/amendments/{amendmentId}/positions/{member}", TakePosition).RequireActing()
            .WithSummary("A delegate supports or opposes an amendment for its own member.");
        one.MapDelete("/amendments/{amendmentId}/positions/{member}", TakeBackPosition).RequireActing()
            .WithSummary("A delegate takes back its own member's position on an amendment.");
        one.MapPost("/amendments/{amendmentId}/accept", async (string id, string amendmentId, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await Proposal(grains, id).AcceptAmendment(user.ToCaller(), amendmentId)))
            .RequireActing().WithSummary("Pen-holder or Chair: the amendment becomes an edit under its author's name, once durable.");
        one.MapPost("/amendments/{amendmentId}/reject", async (string id, string amendmentId, ReasonRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await Proposal(grains, id).RejectAmendment(user.ToCaller(), amendmentId, request.Reason)))
            .RequireActing().WithSummary("Pen-holder or Chair: rejects an amendment with a reason.");
        one.MapPost("/amendments/{amendmentId}/withdraw", async (string id, string amendmentId, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await Proposal(grains, id).WithdrawAmendment(user.ToCaller(), amendmentId)))
            .RequireActing().WithSummary("The author's delegation withdraws its amendment.");

        one.MapGet("/comments", async (string id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var view = await Proposal(grains, id).GetAnnotations(user.ToCaller());
            return TypedResults.Ok(new ThreadList(view.Revision, view.Threads));
        }).WithSummary("Every comment thread (open and resolved), anchors at the committed head.");
        one.MapPost("/comments", StartComment).RequireActing()
            .WithSummary("A delegate of a participating member, or the Chair, starts a thread on a range or paragraph; mentions go on the to-do.");
        one.MapPost("/comments/{threadId}/replies", async (string id, string threadId, ReplyRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await Proposal(grains, id).ReplyToComment(user.ToCaller(), threadId, new CommentReply(request.Text, request.Mentions))))
            .RequireActing().WithSummary("Replies to a thread.");
        one.MapPost("/comments/{threadId}/resolve", async (string id, string threadId, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await Proposal(grains, id).ResolveComment(user.ToCaller(), threadId)))
            .RequireActing().WithSummary("The thread's author, the pen-holder or the Chair resolves it.");
        one.MapPost("/comments/{threadId}/reopen", async (string id, string threadId, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await Proposal(grains, id).ReopenComment(user.ToCaller(), threadId)))
            .RequireActing().WithSummary("The thread's author, the pen-holder or the Chair reopens it.");
        return app;
    }

    private static IProposalGrain Proposal(IGrainFactory grains, string id) => grains.GetGrain<IProposalGrain>(id);

    // A key that cannot be a proposal id is answered here, before any grain is activated for it.
    private static async ValueTask<object?> KnownIdShape(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var id = context.HttpContext.GetRouteValue("id") as string;
        return ProposalIds.IsValid(id) ? await next(context) : Problems.NotFound($"There is no proposal '{id}'.");
    }

    private static async Task<Created<Amendment>> TableAmendment(string id, TableAmendmentRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var draft = new AmendmentDraft(request.Revision!.Value, request.Start!.Value, request.End!.Value, request.Replacement, request.Justification);
        var amendment = await Proposal(grains, id).TableAmendment(user.ToCaller(), draft);
        return TypedResults.Created($"/api/proposals/{id}/amendments/{amendment.Id}", amendment);
    }

    private static async Task<Results<Ok<Amendment>, ProblemHttpResult>> GetAmendment(string id, string amendmentId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var view = await Proposal(grains, id).GetAnnotations(user.ToCaller());
        return view.Amendments.FirstOrDefault(a => a.Id == amendmentId) is { } amendment
            ? TypedResults.Ok(amendment)
            : Problems.NotFound($"Proposal '{id}' has no amendment '{amendmentId}'.");
    }

    private static async Task<Results<Ok<Amendment>, ProblemHttpResult>> TakePosition(string id, string amendmentId, string member, AmendmentPositionRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var caller = user.ToCaller();
        if (member != caller.Member)
        {
            return Problems.Forbidden($"A delegation takes positions only for its own member: this token is for '{caller.Member}', not '{member}'.");
        }
        return TypedResults.Ok(await Proposal(grains, id).TakeAmendmentPosition(caller, amendmentId, request.Stance!.Value));
    }

    private static async Task<Results<Ok<Amendment>, ProblemHttpResult>> TakeBackPosition(string id, string amendmentId, string member, ClaimsPrincipal user, IGrainFactory grains)
    {
        var caller = user.ToCaller();
        if (member != caller.Member)
        {
            return Problems.Forbidden($"A delegation takes back only its own member's position: this token is for '{caller.Member}', not '{member}'.");
        }
        return TypedResults.Ok(await Proposal(grains, id).TakeAmendmentPosition(caller, amendmentId, null));
    }

    private static async Task<Created<CommentThread>> StartComment(string id, StartCommentRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var draft = new CommentDraft(request.Revision!.Value, request.Start!.Value, request.End!.Value, request.Scope ?? CommentScope.Range, request.Text, request.Mentions);
        var thread = await Proposal(grains, id).StartComment(user.ToCaller(), draft);
        return TypedResults.Created($"/api/proposals/{id}/comments/{thread.Id}", thread);
    }
}
