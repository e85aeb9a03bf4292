using System.Security.Claims;
using System.Security.Cryptography;
using AscCollab.Grains;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AscCollab.Server;

/// <summary>
/// Development only: mints tokens for any member and role. The signing key is random and
/// lives in memory for the life of the process, so no key is ever in the repository and
/// tokens from an earlier run are refused.
/// </summary>
internal sealed class DevTokenIssuer(TimeProvider clock)
{
    public const string Issuer = "asccollab-dev";
    public const string Audience = "asccollab";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly SymmetricSecurityKey _key = new(RandomNumberGenerator.GetBytes(32)) { KeyId = "dev-" + Guid.NewGuid().ToString("N")[..8] };
    private readonly JsonWebTokenHandler _handler = new();

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = _key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = CallerClaims.Member,
        RoleClaimType = CallerClaims.Role,
        ClockSkew = TimeSpan.FromSeconds(30),
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
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
    }
}
