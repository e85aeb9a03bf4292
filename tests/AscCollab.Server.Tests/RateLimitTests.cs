namespace AscCollab.Server.Tests;

[Collection(AzuriteFixture.Collection)]
public sealed class RateLimitTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Each_delegation_has_its_own_request_budget_and_going_over_is_429()
    {
        await using var app = new AscCollabApp(azurite, settings: new Dictionary<string, string?>
        {
            ["Api:PermitsPerWindow"] = "3",
            ["Api:Window"] = "00:10:00",
        });
        var my = await app.ClientFor("MY");
        var ph = await app.ClientFor("PH");

        for (var i = 0; i < 3; i++)
        {
            await my.GetJson("/api/members");
        }
        var refused = await my.GetAsync("/api/members").WithTimeout();
        await refused.Problem(429, "rate_limited");
        Assert.NotNull(refused.Headers.RetryAfter);

        await ph.GetJson("/api/members");
    }
}
