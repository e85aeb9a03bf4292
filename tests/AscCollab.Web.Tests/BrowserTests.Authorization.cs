using System.Text.Json.Nodes;
using AscCollab.Testing;
using static Microsoft.Playwright.Assertions;

namespace AscCollab.Web.Tests;

public sealed partial class BrowserTests
{
    [Fact]
    public async Task A_delegation_cannot_sign_for_another_member_from_the_page()
    {
        using var my = await _server.ClientFor("MY");
        var id = await CreateProposal(my, "Exchange of liaison officers", "Each member names a liaison officer.");
        await Circulate(id);
        var (_, malaysia) = await SignIn("MY");
        await OpenProposal(malaysia, id);

        // The UI: one form, for Malaysia; no control in any other member's row.
        await Expect(malaysia.Locator("#signoff-form legend")).ToHaveTextAsync("Position of Malaysia").WithTimeout();
        Assert.Equal(1, await malaysia.Locator("#signoff-form").CountAsync().WithTimeout());
        Assert.Equal(10, await malaysia.Locator("#sign-offs tbody tr").CountAsync().WithTimeout());
        Assert.Equal(0, await malaysia.Locator("#sign-offs tbody tr:not([data-member='MY']) :is(input, button, select, textarea)").CountAsync().WithTimeout());

        // The page's own JavaScript, with the page's own token: REST for Singapore is forbidden.
        var rest = await malaysia.EvaluateAsync<JsonElementResult>(
            """
            async ([id]) => {
              const token = JSON.parse(localStorage.getItem('asccollab.session')).token;
              const response = await fetch(`/api/proposals/${id}/sign-offs/SG`, {
                method: 'PUT', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
                body: JSON.stringify({ position: 'Concur', revision: 0 }) });
              const body = await response.json();
              return { status: response.status, code: body.code ?? '' };
            }
            """, new object[] { id }).WithTimeout();
        Assert.Equal(403, rest.Status);
        Assert.Equal("forbidden", rest.Code);

        // The hub: SignOff names no member (the server uses the caller's), so naming Singapore is refused.
        var hub = await malaysia.EvaluateAsync<JsonElementResult>(
            """
            async ([id]) => {
              try {
                await window.asccollab.live.connection.invoke('SignOff', id, 'SG', 'Concur', null, 0);
                return { status: 200, code: 'accepted' };
              } catch (e) {
                return { status: 0, code: String(e.message) };
              }
            }
            """, new object[] { id }).WithTimeout();
        Assert.NotEqual("accepted", hub.Code);

        var (_, secretariat) = await SignIn("MY", "secretariat");
        await OpenProposal(secretariat, id);
        Assert.Equal(0, await secretariat.Locator("#signoff-form").CountAsync().WithTimeout());
        var asSecretariat = await secretariat.EvaluateAsync<JsonElementResult>(
            """
            async ([id]) => {
              try {
                await window.asccollab.live.invoke('SignOff', id, 'Concur', null, 0);
                return { status: 200, code: 'accepted' };
              } catch (e) {
                return { status: 0, code: e.code };
              }
            }
            """, new object[] { id }).WithTimeout();
        Assert.Equal("forbidden", asSecretariat.Code);

        var server = await ServerProposal(id);
        foreach (var signOff in server["signOffs"]!.AsArray())
        {
            Assert.True(signOff!["position"]!.GetValue<string>() == "Pending", $"nobody signed: {signOff.ToJsonString()}");
        }
    }

    /// <summary>What the page's script returns (Playwright fills it through a parameterless constructor).</summary>
    public sealed class JsonElementResult
    {
        public int Status { get; set; }

        public string Code { get; set; } = "";
    }
}
