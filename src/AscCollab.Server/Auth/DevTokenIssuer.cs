using System.Security.Claims;
using AscCollab.Grains;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AscCollab.Server;

/// <summary>
/// Development only: mints tokens for any member and role. They are signed with the
/// <see cref="DevSigningKey"/> kept in the deployment's Azure Table storage, so a token issued by
/// any node is accepted by every node and survives restarts; no key is ever in the repository.
/// Deleting the key's row rotates it (docs/operations.md).
/// </summary>
internal sealed class DevTokenIssuer(DevSigningKey signingKey, TimeProvider clock)
{
    public const string Issuer = "asccollab-dev";
    public const string Audience = "asccollab";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>
    /// What the bearer handler checks. The key is resolved per token, not captured here: the
    /// options may be built before <see cref="DevSigningKeyLoader"/> has loaded it.
    /// </summary>
    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKeyResolver = (_, _, _, _) => [signingKey.Key],
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = CallerClaims.Member,
        RoleClaimType = CallerClaims.Role,
        // ClockSkew: Auth:ClockSkew, set for every issuer in AuthSetup.
    };

    /// <summary>A signed token for <paramref name="caller"/>, valid for <paramref name="lifetime"/> (default <see cref="Lifetime"/>).</summary>
    public string Mint(Caller caller, TimeSpan? lifetime = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? Lifetime),
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, $"{caller.Member}:{CallerClaims.RoleName(caller.Role)}"),
                new Claim(CallerClaims.Member, caller.Member),
                new Claim(CallerClaims.Role, CallerClaims.RoleName(caller.Role)),
            ]),
            SigningCredentials = new SigningCredentials(signingKey.Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
