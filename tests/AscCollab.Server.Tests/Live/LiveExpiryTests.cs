using System.Security.Claims;
using AscCollab.Grains;
using AscCollab.Testing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace AscCollab.Server.Tests;

/// <summary>A hub connection cannot act once its token has expired, and the server closes it.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class LiveExpiryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_connection_acts_until_its_token_expires_then_is_refused_and_closed()
    {
        await using var server = LiveServer.Start(azurite);
        var id = await server.CreateProposalAsync("MY", "Expiring.");
        var (token, expiresAt) = server.MintToken("MY", TimeSpan.FromSeconds(3));

        var result = await NodeScenario.RunAsync(new { mode = "expiry", url = server.BaseUrl, proposalId = id, token, expiresAt = expiresAt.ToUnixTimeMilliseconds() });

        Assert.True(result.GetProperty("before").GetString() == "ok", result.ToString());
        // Refused by the hub filter, or already closed by the server (CloseOnAuthenticationExpiration).
        var after = result.GetProperty("after").GetString()!;
        Assert.True(after == "forbidden" || after.StartsWith("transport", StringComparison.Ordinal), result.ToString());
        Assert.True(result.GetProperty("closedMsAfterExpiry").ValueKind == System.Text.Json.JsonValueKind.Number, result.ToString());
    }

    [Fact]
    public async Task The_hub_filter_refuses_every_call_once_the_retained_token_has_expired()
    {
        await using var app = new AscCollabApp(azurite);
        var filter = app.Services.GetRequiredService<CollabHubFilter>();
        var connections = app.Services.GetRequiredService<LiveConnections>();
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();

        var valid = CallerClaims.Retained(Principal("MY", now.AddMinutes(5)));
        Assert.Equal(new[] { "member", "role", "exp" }, valid.Claims.Select(c => c.Type));
        Assert.True(valid.Identity!.IsAuthenticated);
        connections.Add("valid", new Caller("MY", CallerRole.Delegate));
        Assert.Equal("done", await filter.InvokeMethodAsync(Invocation("valid", valid), _ => ValueTask.FromResult<object?>("done")).AsTask().WithTimeout());

        var expired = CallerClaims.Retained(Principal("MY", now.AddSeconds(-1)));
        connections.Add("expired", new Caller("MY", CallerRole.Delegate));
        var refused = await Assert.ThrowsAsync<HubException>(() => filter.InvokeMethodAsync(Invocation("expired", expired), _ => ValueTask.FromResult<object?>("done")).AsTask()).WithTimeout();
        Assert.StartsWith("forbidden: The token has expired", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>What the bearer handler makes of a Development token: more claims than the hub keeps.</summary>
    private static ClaimsPrincipal Principal(string member, DateTimeOffset expires) => new(new ClaimsIdentity(
        [
            new Claim("sub", $"{member}:delegate"),
            new Claim("member", member),
            new Claim("role", "delegate"),
            new Claim("iss", DevTokenIssuer.Issuer),
            new Claim("aud", DevTokenIssuer.Audience),
            new Claim("exp", expires.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ],
        "AuthenticationTypes.Federation", "member", "role"));

    private static HubInvocationContext Invocation(string connectionId, ClaimsPrincipal user) =>
        new(new CallerContext(connectionId, user), new ServiceCollection().BuildServiceProvider(), new NoHub(),
            typeof(CollabHub).GetMethod(nameof(CollabHub.GetToDo))!, []);

    private sealed class NoHub : Hub;

    private sealed class CallerContext(string connectionId, ClaimsPrincipal user) : HubCallerContext
    {
        public override string ConnectionId => connectionId;

        public override string? UserIdentifier => null;

        public override ClaimsPrincipal? User => user;

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort()
        {
        }
    }
}
