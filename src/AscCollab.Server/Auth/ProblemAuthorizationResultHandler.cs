using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace AscCollab.Server;

/// <summary>A refused authorization leaves as a 403 Problem Details that says which rule refused it.</summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated is true)
        {
            var failed = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<IDescribedRequirement>().Select(r => r.Description) ?? [];
            var detail = string.Join(" ", failed.Distinct());
            await ProblemSetup.WriteProblemAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "Forbidden.",
                detail.Length > 0 ? detail : "This caller may not use this route.");
            return;
        }

        // Challenges (no or bad token) keep the bearer handler's WWW-Authenticate header;
        // the status-code pages add the Problem Details body.
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
