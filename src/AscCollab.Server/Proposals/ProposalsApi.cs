using System.Security.Claims;
using AscCollab.Grains;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AscCollab.Server;

internal static class ProposalsApi
{
    public static WebApplication MapProposals(this WebApplication app)
    {
        var proposals = app.MapApiGroup("/api/proposals", "Proposals");
        proposals.MapGet("/", List).WithSummary("Proposals the caller may see (group drafts only for the group, the Chair, the secretariat).");
        proposals.MapPost("/", Create).RequireActing().WithSummary("Any delegate proposes a new measure under an activity.");

        var one = proposals.MapGroup("/{id}").AddEndpointFilter(KnownIdShape).ProducesProblem(StatusCodes.Status404NotFound);
        one.MapGet("/", (string id, ClaimsPrincipal user, IGrainFactory grains) => Call(grains, id, (p, c) => p.Open(c), user))
            .WithSummary("The text, revision, status and sign-offs.");
        one.MapGet("/edits", GetEdits).WithSummary("Committed edits after ?since=revision, ascending.");
        one.MapPost("/edits", Edit).RequireActing().WithSummary("Applies an ot-text-unicode operation made on baseRevision; answers once durable.");
        one.MapPost("/circulate", Circulate).RequireActing().WithSummary("Chair: puts the draft under consideration with a consensus rule (and deadline).");
        one.MapPut("/deadline", SetDeadline).RequireActing().WithSummary("Chair: sets or moves the deadline.");
        one.MapPut("/sign-offs/{member}", SignOff).RequireActing().WithSummary("A delegate gives its own member's position on the current revision.");
        one.MapDelete("/sign-offs/{member}", WithdrawSignOff).RequireActing().WithSummary("A delegate takes back its own member's position.");
        one.MapPost("/recommend", (string id, ClaimsPrincipal user, IGrainFactory grains) => Call(grains, id, (p, c) => p.Recommend(c), user))
            .RequireActing().WithSummary("Group coordinator or Chair: after group consensus, the draft goes to all members.");
        one.MapPost("/reopen", (string id, ReasonRequest request, ClaimsPrincipal user, IGrainFactory grains) => Call(grains, id, (p, c) => p.Reopen(c, request.Reason ?? ""), user))
            .RequireActing().WithSummary("Chair: consensus reached → drafting again at the same level.");
        one.MapPost("/adoption", RecordAdoption)
            .RequireActing().WithSummary("Chair: records the adoption of a measure with consensus of all members.");
        one.MapPost("/withdraw", (string id, ReasonRequest request, ClaimsPrincipal user, IGrainFactory grains) => Call(grains, id, (p, c) => p.Withdraw(c, request.Reason ?? ""), user))
            .RequireActing().WithSummary("The proposer's delegation or the Chair withdraws the proposal (final).");
        one.MapGet("/audit", (string id, ClaimsPrincipal user, IGrainFactory grains) => Call(grains, id, (p, c) => p.GetAudit(c), user))
            .WithSummary("The hash-chained audit trail, ascending.");
        one.MapGet("/audit/verify", (string id, ClaimsPrincipal user, IGrainFactory grains) => Call(grains, id, (p, c) => p.VerifyAudit(c), user))
            .WithSummary("Recomputes the audit trail's hash chain from storage.");
        return app;
    }

    private static async Task<Ok<T>> Call<T>(IGrainFactory grains, string id, Func<IProposalGrain, Caller, Task<T>> call, ClaimsPrincipal user) =>
        TypedResults.Ok(await call(grains.GetGrain<IProposalGrain>(id), user.ToCaller()));

    // A key that cannot be a proposal id is answered here, before any grain is activated for it.
    internal static async ValueTask<object?> KnownIdShape(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var id = context.HttpContext.GetRouteValue("id") as string;
        return ProposalIds.IsValid(id) ? await next(context) : Problems.NotFound($"There is no proposal '{id}'.");
    }

    private static async Task<Ok<IReadOnlyList<ProposalSummary>>> List(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IProgressGrain>(IProgressGrain.Key).ListProposals(user.ToCaller()));

    private static async Task<Created<CreatedProposal>> Create(CreateProposalRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var id = ProposalIds.NewId();
        var created = await grains.GetGrain<IProposalGrain>(id)
            .Create(user.ToCaller(), new NewProposal(request.Activity, request.Title, request.Text, request.Group));
        return TypedResults.Created($"/api/proposals/{created.ProposalId}", new CreatedProposal(created.ProposalId, created.Revision));
    }

    private static async Task<Results<Ok<IReadOnlyList<CommittedEdit>>, ProblemHttpResult>> GetEdits(string id, long? since, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (since is < 0)
        {
            return Problems.InvalidInput("since must be a revision (0 or more).");
        }
        return TypedResults.Ok(await grains.GetGrain<IProposalGrain>(id).GetEditsSince(user.ToCaller(), since ?? 0));
    }

    private static Task<Ok<EditAck>> Edit(string id, EditRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        Call(grains, id, (p, c) => p.SubmitEdit(c, request.BaseRevision!.Value, request.Op!), user);

    private static Task<Ok<ProposalSnapshot>> Circulate(string id, CirculateRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        Call(grains, id, (p, c) => p.Circulate(c, new Circulation(new ConsensusRule(request.Rule!.Value, request.Quorum), request.Deadline) { OpenBracketsOverride = request.OpenBracketsOverride }), user);

    private static Task<Ok<ProposalSnapshot>> SetDeadline(string id, DeadlineRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        Call(grains, id, (p, c) => p.SetDeadline(c, request.Deadline!.Value), user);

    private static async Task<Results<Ok<WithReceipt<ProposalSnapshot>>, ProblemHttpResult>> SignOff(string id, string member, SignOffBody request, ClaimsPrincipal user, IGrainFactory grains, ReceiptIssuer receipts)
    {
        var caller = user.ToCaller();
        if (member != caller.Member)
        {
            return Problems.Forbidden($"A delegation signs off only for its own member: this token is for '{caller.Member}', not '{member}'.");
        }
        var signOff = new SignOffRequest(member, request.Position!.Value, request.Reason, request.Revision!.Value);
        var signed = await grains.GetGrain<IProposalGrain>(id).SignOff(caller, signOff);
        return TypedResults.Ok(receipts.Answer(signed, signed.Receipt));
    }

    private static async Task<Results<Ok<WithReceipt<ProposalSnapshot>>, ProblemHttpResult>> WithdrawSignOff(string id, string member, ClaimsPrincipal user, IGrainFactory grains, ReceiptIssuer receipts)
    {
        var caller = user.ToCaller();
        if (member != caller.Member)
        {
            return Problems.Forbidden($"A delegation withdraws only its own member's position: this token is for '{caller.Member}', not '{member}'.");
        }
        var withdrawn = await grains.GetGrain<IProposalGrain>(id).WithdrawSignOff(caller, member);
        return TypedResults.Ok(receipts.Answer(withdrawn, withdrawn.Receipt));
    }

    private static async Task<Ok<WithReceipt<ProposalSnapshot>>> RecordAdoption(string id, AdoptionRequest request, ClaimsPrincipal user, IGrainFactory grains, ReceiptIssuer receipts)
    {
        var adopted = await grains.GetGrain<IProposalGrain>(id).RecordAdoption(user.ToCaller(), request.Occasion);
        return TypedResults.Ok(receipts.Answer(adopted, adopted.Receipt));
    }
}
