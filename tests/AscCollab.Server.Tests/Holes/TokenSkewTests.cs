using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using AscCollab.Testing;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AscCollab.Server.Tests;

/// <summary>
/// Outside Development a token is accepted at most <c>Auth:ClockSkew</c> (30 s by default) past its
/// expiry, not the library's 5 minutes. The provider is stood in for by a key of the test's own
/// (its discovery document is the only thing replaced; validation is the host's).
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class TokenSkewTests(AzuriteFixture azurite)
{
    private const string Issuer = "https://login.asccollab.invalid/";

    private static readonly SymmetricSecurityKey Key = new(RandomNumberGenerator.GetBytes(32)) { KeyId = "test" };

    [Theory]
    [InlineData(null, -10, 200)]   // 10 s past expiry: within the default 30 s
    [InlineData(null, -45, 401)]   // 45 s past: refused (the library default would take it until 5 min)
    [InlineData(null, -240, 401)]
    [InlineData("00:00:05", -10, 401)]
    [InlineData("00:00:05", 60, 200)]
    public async Task Production_accepts_an_expired_token_only_within_the_configured_skew(string? skew, int expiresInSeconds, int status)
    {
        var settings = AscCollabApp.ProductionAuth;
        if (skew is not null)
        {
            settings["Auth:ClockSkew"] = skew;
        }
        await using var app = new AscCollabApp(azurite, environment: "Production", settings: settings);
        using var provider = app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
            {
                var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
                configuration.SigningKeys.Add(Key);
                o.Configuration = configuration;
            })));
        var client = provider.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token("MY", DateTime.UtcNow.AddSeconds(expiresInSeconds)));

        using var response = await client.GetAsync("/api/activities").WithTimeout();

        Assert.Equal(status, (int)response.StatusCode);
    }

    [Fact]
    public async Task A_skew_above_one_minute_stops_the_host()
    {
        var settings = AscCollabApp.ProductionAuth;
        settings["Auth:ClockSkew"] = "00:05:00";
        await using var app = new AscCollabApp(azurite, environment: "Production", settings: settings);

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("Auth:ClockSkew", failure.ToString(), StringComparison.Ordinal);
    }

    private static string Token(string member, DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = "asccollab",
        IssuedAt = expires.AddMinutes(-10),
        NotBefore = expires.AddMinutes(-10),
        Expires = expires,
        Subject = new ClaimsIdentity([new Claim("member", member), new Claim("role", "delegate")]),
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
    });
}
