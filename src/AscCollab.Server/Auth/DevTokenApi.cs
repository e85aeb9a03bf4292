using AscCollab.Grains;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AscCollab.Server;

/// <summary>Asks the Development token issuer for a token. <see cref="Member"/> may be omitted for the secretariat.</summary>
internal sealed record DevTokenRequest(string? Member, string? Role);

internal sealed record DevTokenResponse(string Token);

internal static class DevTokenApi
{
    /// <summary>Maps <c>POST /api/dev/token</c> in Development; in every other environment the route does not exist (404).</summary>
    public static WebApplication MapDevToken(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            return app;
        }

        app.MapPost("/api/dev/token", Issue)
            .AllowAnonymous()
            .WithTags("Auth")
            .WithSummary("Development only: a token for any member and role.");
        return app;
    }

    private static Results<Ok<DevTokenResponse>, ProblemHttpResult> Issue(
        DevTokenRequest request, DevTokenIssuer issuer, IRoster roster, IOptionsMonitor<AscCollabOptions> options)
    {
        if (!CallerClaims.TryParseRole(request.Role, out var role))
        {
            return Problems.InvalidInput($"role must be one of '{CallerClaims.DelegateRole}', '{CallerClaims.ChairRole}', '{CallerClaims.SecretariatRole}'.");
        }

        var secretariat = options.CurrentValue.SecretariatCode;
        if (role == CallerRole.Secretariat)
        {
            // The secretariat is not a delegation: its tokens always carry the secretariat's own
            // code, whichever member (if any) the request named.
            if (request.Member is { } named && named != secretariat && !roster.IsMember(named))
            {
                return Problems.InvalidInput($"'{Echo.Of(named)}' is neither a member nor the secretariat ('{secretariat}').");
            }
            return TypedResults.Ok(new DevTokenResponse(issuer.Mint(new Caller(secretariat, role))));
        }

        if (request.Member is not { } member || !roster.IsMember(member))
        {
            return Problems.InvalidInput($"'{Echo.Of(request.Member)}' is not a member; members are {string.Join(", ", roster.Members().Select(m => m.Code))}.");
        }
        return TypedResults.Ok(new DevTokenResponse(issuer.Mint(new Caller(member, role))));
    }
}
