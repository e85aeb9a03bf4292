using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace AscCollab.Server;

/// <summary>A refused authorization leaves as a 403 Problem Details that says which rule refused it.</summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    // Not async, and an allowed request goes straight on: a hub connection is one request that
    // lasts hours, and an awaiting handler (ours or the default one) would keep a state machine
    // alive for all of it.
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            return next(context);
        }

        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated is true)
        {
            var failed = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<IDescribedRequirement>().Select(r => r.Description) ?? [];
            var detail = string.Join(" ", failed.Distinct());
            return ProblemSetup.WriteProblemAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "Forbidden.",
                detail.Length > 0 ? detail : "This caller may not use this route.").AsTask();
        }

        // Challenges (no or bad token) keep the bearer handler's WWW-Authenticate header;
        // the status-code pages add the Problem Details body — except around a WebSocket upgrade,
        // which they do not wrap (ProblemSetup.UseProblems): the body is written here.
        return ProblemSetup.IsWebSocketUpgrade(context)
            ? ChallengeUpgradeAsync(next, context, policy, authorizeResult)
            : _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private async Task ChallengeUpgradeAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        await _default.HandleAsync(next, context, policy, authorizeResult);
        if (!context.Response.HasStarted && context.Response.StatusCode >= 400)
        {
            var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = { Status = context.Response.StatusCode } });
        }
    }
}
