using System.Text.Json.Nodes;
using AscCollab.Testing;
using static Microsoft.Playwright.Assertions;

namespace AscCollab.Web.Tests;

public sealed partial class BrowserTests
{
    [Fact]
    public async Task After_signing_off_the_delegation_downloads_its_receipt_and_the_server_verifies_it()
    {
        using var my = await _server.ClientFor("MY");
        var id = await CreateProposal(my, "Exchange of observers at exercises", "Members invite observers to major exercises.");
        await Circulate(id);

        var (_, malaysia) = await SignIn("MY");
        await OpenProposal(malaysia, id);
        await Expect(malaysia.Locator("#signoff-receipt")).ToHaveCountAsync(0).WithTimeout();
        await malaysia.Locator("#position-Object").CheckAsync().WithTimeout();
        await malaysia.Locator("#signoff-reason").FillAsync("Observers need 30 days' notice.").WithTimeout();
        await malaysia.Locator("#signoff-submit").ClickAsync().WithTimeout();
        await Expect(malaysia.Locator("#sign-offs tr[data-member='MY']")).ToHaveAttributeAsync("data-position", "Object").WithTimeout();

        var receipt = await DownloadReceipt(malaysia, $"receipt-{id}-MY-rev0.jws");
        var claims = ClaimsOf(receipt);
        Assert.Equal(("SignOff", "MY", "Object"), (claims["act"]!.GetValue<string>(), claims["member"]!.GetValue<string>(), claims["position"]!.GetValue<string>()));
        var verified = await my.PostJson("/api/receipts/verify", new { receipt });
        Assert.True(verified["valid"]!.GetValue<bool>(), verified.ToJsonString());
        Assert.Equal("Holds", verified["storage"]!.GetValue<string>());

        // After a reload the page holds no receipt: the same facts come from the server, signed again.
        await malaysia.ReloadAsync().WithTimeout();
        await OpenProposal(malaysia, id);
        var again = await DownloadReceipt(malaysia, $"receipt-{id}-MY-rev0.jws");
        var againClaims = ClaimsOf(again);
        Assert.Equal(claims["auditHead"]!.ToJsonString(), againClaims["auditHead"]!.ToJsonString());
        Assert.True((await my.PostJson("/api/receipts/verify", new { receipt = again }))["valid"]!.GetValue<bool>());
    }

    private static JsonNode ClaimsOf(string jws)
    {
        var payload = jws.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonNode.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=')))!;
    }

    private static async Task<string> DownloadReceipt(Microsoft.Playwright.IPage page, string expectedName)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#signoff-receipt").ClickAsync()).WithTimeout();
        Assert.Equal(expectedName, download.SuggestedFilename);
        return (await File.ReadAllTextAsync(await download.PathAsync().WithTimeout()).WithTimeout()).Trim();
    }
}
