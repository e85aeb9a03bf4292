using AscCollab.Testing;
using static Microsoft.Playwright.Assertions;

namespace AscCollab.Web.Tests;

/// <summary>Outside Development there is no local token issuer: the sign-in page says an OIDC authority is needed.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class OidcSignInTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Outside_development_the_sign_in_page_asks_for_an_openid_connect_authority()
    {
        await using var server = new AscCollabApp(azurite, environment: "Production", settings: AscCollabApp.ProductionAuth);
        await Task.Run(server.ServeOnLoopback).WithTimeout(TimeSpan.FromSeconds(60));
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl!.ToString() }).WithTimeout();
        try
        {
            var page = await context.NewPageAsync().WithTimeout();
            await page.GotoAsync("/").WithTimeout();
            var alert = page.Locator(".signin [role='alert']");
            await Expect(alert).ToContainTextAsync("OIDC authority must be configured").WithTimeout();
            await Expect(alert).ToContainTextAsync("Auth:Authority").WithTimeout();
            Assert.Equal(0, await page.Locator("#signin-member").CountAsync().WithTimeout());
        }
        finally
        {
            await context.CloseAsync().WithTimeout();
        }
    }
}
