using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using AscCollab.Grains;

namespace AscCollab.Server;

/// <summary>
/// The two claims every AscCollab token carries: <c>member</c> (ISO 3166-1 alpha-2 code of the
/// delegation, or the secretariat's code) and <c>role</c> (<c>delegate</c>, <c>chair</c>, <c>secretariat</c>).
/// The REST endpoints and the hub turn them into the domain's <see cref="Caller"/> here.
/// </summary>
internal static class CallerClaims
{
    public const string Member = "member";
    public const string Role = "role";

    /// <summary>The token's expiry (JWT <c>exp</c>, seconds since the Unix epoch).</summary>
    public const string Expires = "exp";

    public const string DelegateRole = "delegate";
    public const string ChairRole = "chair";
    public const string SecretariatRole = "secretariat";

    public static bool TryParseRole(string? value, out CallerRole role)
    {
        switch (value)
        {
            case DelegateRole: role = CallerRole.Delegate; return true;
            case ChairRole: role = CallerRole.Chair; return true;
            case SecretariatRole: role = CallerRole.Secretariat; return true;
            default: role = default; return false;
        }
    }

    public static string RoleName(CallerRole role) => role switch
    {
        CallerRole.Delegate => DelegateRole,
        CallerRole.Chair => ChairRole,
        CallerRole.Secretariat => SecretariatRole,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    /// <summary>The caller named by the claims, or false when they are missing or malformed.</summary>
    public static bool TryGetCaller(this ClaimsPrincipal user, [NotNullWhen(true)] out Caller? caller)
    {
        caller = null;
        if (user.Identity?.IsAuthenticated is not true)
        {
            return false;
        }

        var member = user.FindFirst(Member)?.Value;
        if (member is not { Length: >= 2 and <= 8 } || !member.All(char.IsAsciiLetterUpper)
            || !TryParseRole(user.FindFirst(Role)?.Value, out var role))
        {
            return false;
        }

        caller = new Caller(member, role);
        return true;
    }

    /// <summary>
    /// A principal with only the claims the hub reads (member, role, exp), in an identity of the
    /// same authentication type; for principals kept for a connection's life.
    /// </summary>
    public static ClaimsPrincipal Retained(ClaimsPrincipal user)
    {
        var identity = new ClaimsIdentity(user.Identity?.AuthenticationType, Member, Role);
        foreach (var claim in user.Claims)
        {
            // The constants, not the token's own copies of the claim names.
            var type = claim.Type switch
            {
                Member => Member,
                Role => Role,
                Expires => Expires,
                _ => null,
            };
            if (type is not null)
            {
                identity.AddClaim(new Claim(type, claim.Value, claim.ValueType, claim.Issuer));
            }
        }
        return new ClaimsPrincipal(identity);
    }

    /// <summary>
    /// The caller named by the claims. Throws a <c>forbidden</c> <see cref="DomainException"/>
    /// (403 over HTTP, a HubException on the hub) when the token lacks them.
    /// </summary>
    public static Caller ToCaller(this ClaimsPrincipal user) =>
        user.TryGetCaller(out var caller)
            ? caller
            : throw new DomainException(DomainErrorCodes.Forbidden, "The token does not name a member and a role (claims 'member' and 'role').");
}
