using System.Globalization;
using System.Security.Claims;
using AscCollab.Grains;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans;

namespace AscCollab.Server;

/// <summary>Structure, ad-referendum marks, versions, comparison and Word export of a proposal (docs/drafting.md).</summary>
internal static class DraftingApi
{
    private const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public static WebApplication MapDrafting(this WebApplication app)
    {
        var one = app.MapApiGroup("/api/proposals/{id}", "Drafting")
            .AddEndpointFilter(ProposalsApi.KnownIdShape)
            .ProducesProblem(StatusCodes.Status404NotFound);
        one.MapGet("/structure", (string id, ClaimsPrincipal user, IGrainFactory grains) => Call(grains, id, (p, c) => p.GetStructure(c), user))
            .WithSummary("Paragraphs (PP/OP numbers, statuses), bracketed passages, bracket problems and ad-referendum marks of the current text.");
        one.MapPost("/ad-referendum", MarkAdReferendum).RequireActing()
            .WithSummary("A delegation agrees a paragraph ad referendum, naming the pending confirmation and a date.");
        one.MapPost("/ad-referendum/{mark:int}/confirm", (string id, int mark, MarkNoteBody? body, ClaimsPrincipal user, IGrainFactory grains) =>
                Call(grains, id, (p, c) => p.ConfirmAdReferendum(c, mark, body?.Note), user))
            .RequireActing().WithSummary("The marking delegation confirms its ad-referendum agreement.");
        one.MapPost("/ad-referendum/{mark:int}/withdraw", (string id, int mark, MarkNoteBody? body, ClaimsPrincipal user, IGrainFactory grains) =>
                Call(grains, id, (p, c) => p.WithdrawAdReferendum(c, mark, body?.Note), user))
            .RequireActing().WithSummary("The marking delegation withdraws its ad-referendum agreement (the paragraph is reopened).");
        one.MapGet("/versions", (string id, ClaimsPrincipal user, IGrainFactory grains) => Call(grains, id, (p, c) => p.GetVersions(c), user))
            .WithSummary("The proposal's versions (as proposed, as circulated, as agreed, as adopted, named), ascending.");
        one.MapPost("/versions", NameVersion).RequireActing()
            .WithSummary("The pen-holder (proposer; group draft: coordinator) or the Chair names the current text as a version.");
        one.MapGet("/versions/{v}", GetVersion).WithSummary("A version's text and structure; {v} a version number or 'current'.");
        one.MapGet("/versions/{v}/docx", GetDocx).WithSummary("A version as a Word document.");
        one.MapGet("/compare", Compare).WithSummary("Attributed comparison of two versions (?from=&to=, numbers or 'current').");
        one.MapGet("/sign-offs/{member}/changes", (string id, string member, ClaimsPrincipal user, IGrainFactory grains) =>
                Call(grains, id, (p, c) => p.ChangesSinceSignOff(c, member), user))
            .WithSummary("What changed since the member's position, to the current text.");
        return app;
    }

    private static async Task<Ok<T>> Call<T>(IGrainFactory grains, string id, Func<IProposalDrafting, Caller, Task<T>> call, ClaimsPrincipal user) =>
        TypedResults.Ok(await call(grains.GetGrain<IProposalDrafting>(id), user.ToCaller()));

    private static async Task<Created<DraftStructure>> MarkAdReferendum(string id, AdReferendumBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var request = new AdReferendumRequest(body.Paragraph, body.Revision!.Value, body.Pending, body.By!.Value);
        var structure = await grains.GetGrain<IProposalDrafting>(id).MarkAdReferendum(user.ToCaller(), request);
        return TypedResults.Created($"/api/proposals/{id}/structure", structure);
    }

    private static async Task<Created<VersionRecord>> NameVersion(string id, NameVersionBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var version = await grains.GetGrain<IProposalDrafting>(id).NameVersion(user.ToCaller(), body.Name);
        return TypedResults.Created($"/api/proposals/{id}/versions/{version.Version}", version);
    }

    private static async Task<Results<Ok<VersionText>, ProblemHttpResult>> GetVersion(string id, string v, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (ParseVersion(v) is not { } number)
        {
            return Problems.InvalidInput($"The version must be a version number (1, 2, …) or 'current'; \"{v}\" is not.");
        }
        return TypedResults.Ok(await grains.GetGrain<IProposalDrafting>(id).GetVersion(user.ToCaller(), number));
    }

    private static async Task<IResult> GetDocx(string id, string v, string? amendments, ClaimsPrincipal user, IGrainFactory grains, IRoster roster)
    {
        if (ParseVersion(v) is not { } number)
        {
            return Problems.InvalidInput($"The version must be a version number (1, 2, …) or 'current'; \"{v}\" is not.");
        }
        if (amendments is not (null or "none" or "tracked"))
        {
            return Problems.InvalidInput($"amendments must be 'tracked' or 'none'; \"{amendments}\" is not.");
        }
        var caller = user.ToCaller();
        var drafting = grains.GetGrain<IProposalDrafting>(id);
        var version = await drafting.GetVersion(caller, number);
        IReadOnlyList<Amendment>? tracked = null;
        if (amendments == "tracked")
        {
            // Amendments are anchored in the current text: only a version of it can show them.
            var view = await grains.GetGrain<IProposalAnnotations>(id).GetAnnotations(caller);
            if (view.Revision != version.Version.Revision && number != 0)
            {
                return Problems.InvalidInput($"amendments=tracked shows the open amendments on the current text (revision {view.Revision}); version {number} is revision {version.Version.Revision}. Export 'current' instead.");
            }
            if (view.Revision != version.Version.Revision)
            {
                // The text moved between the two reads: read it again once.
                view = await grains.GetGrain<IProposalAnnotations>(id).GetAnnotations(caller);
                version = await drafting.GetVersion(caller, 0);
                if (view.Revision != version.Version.Revision)
                {
                    return Problems.Of(StatusCodes.Status409Conflict, ErrorCodes.Conflict, "Conflict.", "The text changed during the export; try again.");
                }
            }
            tracked = view.Amendments;
        }
        var bytes = WordExport.Write(id, version, tracked, m => roster.Find(m)?.Name ?? m);
        var name = number == 0 ? $"{id}-current.docx" : $"{id}-v{number.ToString(CultureInfo.InvariantCulture)}.docx";
        return TypedResults.File(bytes, DocxType, name);
    }

    private static async Task<Results<Ok<Comparison>, ProblemHttpResult>> Compare(string id, string? from, string? to, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (from is null)
        {
            return Problems.InvalidInput("from is required: a version number or 'current'.");
        }
        if (ParseVersion(from) is not { } start)
        {
            return Problems.InvalidInput($"from must be a version number (1, 2, …) or 'current'; \"{from}\" is not.");
        }
        if (ParseVersion(to ?? "current") is not { } end)
        {
            return Problems.InvalidInput($"to must be a version number (1, 2, …) or 'current'; \"{to}\" is not.");
        }
        return TypedResults.Ok(await grains.GetGrain<IProposalDrafting>(id).Compare(user.ToCaller(), start, end));
    }

    /// <summary>"current" → 0, "3" → 3; anything else null.</summary>
    private static int? ParseVersion(string value) =>
        value == "current" ? 0
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : null;
}
